import type { FanoutPlan } from '../plan/fanout-plan.js';
import type { FanoutSources } from '../config/fanout-sources.js';
import { materializeFindingPacketFanoutConfig } from './materialize-finding-packet-fanout-config.js';
import { planFanout } from '../plan/plan-fanout.js';

/** Plans a fanout straight from finding packets (see `materializeFindingPacketFanoutConfig` for the input). */
export function createFindingPacketFanoutPlan(input: unknown = {}, sources?: FanoutSources): FanoutPlan {
  const { config, groups } = materializeFindingPacketFanoutConfig(input, sources);
  return planFanout({ config, groups }, sources === undefined ? {} : { sources });
}
