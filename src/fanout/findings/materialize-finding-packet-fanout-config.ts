import { InputError } from '../../errors/input-error.js';
import { describeValue } from '../../util/describe-value.js';
import type { FanoutGroup } from '../plan/fanout-group.js';
import { FINDING_PACKET_CONFIG_SCHEMA } from '../schemas/fanout-schema-ids.js';
import type { FanoutSources } from '../config/fanout-sources.js';
import { groupFindingPacketItems } from './group-finding-packet-items.js';
import { isPlainObject, type JsonObject } from '../../util/is-plain-object.js';
import { normalizeFindingPacketItems, type FindingPacketItem } from './normalize-finding-packet-items.js';
import { normalizeFindingPolicy } from './normalize-finding-policy.js';
import { setOwnProperty } from '../json/set-own-property.js';

export interface MaterializedFindingPacketFanout {
  /** A generic fanout config (schema `homeboy/generic-finding-packet-fanout-config/v1` unless the caller set one). */
  readonly config: JsonObject;
  readonly groups: FanoutGroup[];
  readonly items: FindingPacketItem[];
}

/** The task request used when the caller gives none: ids, packet ids, the finding count and the findings. */
export const DEFAULT_FINDING_PACKET_TASK_REQUEST_TEMPLATE: Readonly<JsonObject> = Object.freeze({
  id: 'finding-packet-{{group.key}}',
  group_key: '{{group.key}}',
  item_ids: '{{group.item_ids}}',
  packet_ids: '{{group.packet_ids}}',
  finding_count: '{{group.item_count}}',
  inputs: { findings: '{{group.items}}' },
});

/** Input keys that carry packets, policy or reconcile data rather than config fields. */
const NOT_CONFIG = new Set(['config', 'packets', 'finding_packets', 'findingPackets', 'policy', 'plan', 'records']);

/**
 * Turns finding packets into what the generic planner needs: a config, the groups and the items.
 * Config fields may be given in `input.config` or at the top level of the input (as the seed
 * documents `{packets, policy, ...config}`); top-level fields win.
 */
export function materializeFindingPacketFanoutConfig(input: unknown = {}, sources?: FanoutSources): MaterializedFindingPacketFanout {
  if (!isPlainObject(input)) throw new InputError(`expected object, got ${describeValue(input)}`, { file: 'input', jsonPath: '$' });
  const base: JsonObject = { ...(isPlainObject(input['config']) ? input['config'] : {}) };
  for (const key of Object.keys(input)) {
    if (!NOT_CONFIG.has(key)) setOwnProperty(base, key, input[key]);
  }
  const policy = normalizeFindingPolicy(input['policy'] ?? base['finding_policy'] ?? base['findingPolicy'], sources);
  const packets = input['packets'] ?? input['finding_packets'] ?? input['findingPackets'] ?? base['packets'] ?? base['finding_packets'] ?? [];
  const items = normalizeFindingPacketItems(packets, policy, sources);
  const groups = groupFindingPacketItems(items, policy, sources);
  const runtime = base['runtime_execution'] || base['runtimeExecution'] || base['runtime'];

  const config: JsonObject = {
    ...base,
    schema: base['schema'] || FINDING_PACKET_CONFIG_SCHEMA,
    orchestrator: base['orchestrator'] || {},
    task_request_template: base['task_request_template'] || base['taskRequestTemplate'] || structuredClone(DEFAULT_FINDING_PACKET_TASK_REQUEST_TEMPLATE),
  };
  if (runtime !== undefined && runtime !== null && runtime !== '') config['runtime_execution'] = runtime;
  config['summary'] = {
    packet_count: Array.isArray(packets) ? packets.length : 0,
    finding_count: items.length,
    grouping: { strategy: policy.group_key_template === '' ? 'paths' : 'template', paths: policy.group_by },
    ...(isPlainObject(base['summary']) ? base['summary'] : {}),
  };
  config['finding_policy'] = policy;
  return { config, groups, items };
}
