import { InputError } from '../../errors/input-error.js';
import { describeValue } from '../../util/describe-value.js';
import { createFanoutPlanner, type FanoutPlannerOptions } from './create-fanout-planner.js';
import type { FanoutPlan } from './fanout-plan.js';
import { sourceName } from '../config/fanout-sources.js';
import { isPlainObject } from '../../util/is-plain-object.js';

export interface PlanFanoutInput {
  /** A `homeboy/generic-fanout-reconcile-config/v1` object. */
  readonly config?: unknown;
  /** Items to group; default `config.items`. */
  readonly items?: unknown;
  /** Explicit groups; used instead of items when non-empty. Default `config.groups`. */
  readonly groups?: unknown;
}

export type PlanFanoutOptions = FanoutPlannerOptions;

/**
 * Builds a fanout plan: group the items, render one task request per group, and check that every
 * task id is unique. Linear in the number of items. Throws `InputError` for input it cannot use.
 * For items that arrive one at a time, use `createFanoutPlanner`.
 */
export function planFanout(input: PlanFanoutInput = {}, options: PlanFanoutOptions = {}): FanoutPlan {
  const planner = createFanoutPlanner({ config: input.config, groups: input.groups }, options);
  const configItems = isPlainObject(input.config) && Object.hasOwn(input.config, 'items') ? input.config['items'] : undefined;
  if (!planner.usesItems) return planner.finish();
  const items = input.items ?? configItems ?? [];
  if (!Array.isArray(items)) throw new InputError(`expected array, got ${describeValue(items)}`, { file: sourceName(options.sources, 'items'), jsonPath: '$' });
  for (const item of items) planner.add(item);
  return planner.finish();
}
