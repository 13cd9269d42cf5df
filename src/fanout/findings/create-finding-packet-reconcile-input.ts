import type { FanoutSources } from '../config/fanout-sources.js';
import { isPlainObject, type JsonObject } from '../../util/is-plain-object.js';
import { materializeFindingPacketFanoutConfig } from './materialize-finding-packet-fanout-config.js';
import { planFanout } from '../plan/plan-fanout.js';
import { taskIdentity } from '../plan/task-identity.js';
import { textOf } from '../json/text-of.js';

export interface FindingPacketReconcileInput {
  readonly config: JsonObject;
  readonly plan: unknown;
  readonly records: JsonObject[];
}

/**
 * Prepares `{config, plan, records}` for `createGenericFanoutReconcileResult` / `reconcileFanout`.
 * A given `plan` is passed through as is. Each record gets `id` set to its task id (`task_id`
 * first) and a text `group_key` (from `group_key` or `groupKey`); non-object records become
 * `{id: "record-<n>", value}`. Other fields, including `finding_ids` and `packet_ids` of any
 * type, are kept.
 */
export function createFindingPacketReconcileInput(input: unknown = {}, sources?: FanoutSources): FindingPacketReconcileInput {
  const { config, groups } = materializeFindingPacketFanoutConfig(input, sources);
  const given = isPlainObject(input) ? input : {};
  const plan = given['plan'] ? given['plan'] : planFanout({ config, groups }, sources === undefined ? {} : { sources });
  const records = Array.isArray(given['records']) ? given['records'].map(normalizeRecord) : [];
  return { config, plan, records };
}

function normalizeRecord(raw: unknown, index: number): JsonObject {
  const record: JsonObject = isPlainObject(raw) ? { ...raw } : { id: `record-${index + 1}`, value: raw };
  const identity = taskIdentity(record);
  if (identity !== undefined) record['id'] = identity.key;
  record['group_key'] = textOf(record['group_key']) || textOf(record['groupKey']);
  return record;
}
