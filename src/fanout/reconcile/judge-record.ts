import type { StatusMapping } from '../schemas/fanout-config-schema.js';
import { isPlainObject, type JsonObject } from '../../util/is-plain-object.js';
import { textOf } from '../json/text-of.js';

export interface RecordPolicy {
  readonly statusMapping: StatusMapping;
  readonly successStatuses: ReadonlySet<string>;
}

export interface JudgedRecord {
  /** The record as it goes into the result (a copy when the status mapping rewrote it). */
  readonly record: JsonObject;
  readonly success: boolean;
}

/** Statuses the host owns; under the agent-task mapping they are kept as they are. */
const HOST_STATUSES: ReadonlySet<string> = new Set(['completed', 'failed', 'missing_record']);
/** Provider outcomes the Homeboy bridge maps to `completed` (docs/agent-runtime-package-contract.md). */
const AGENT_TASK_SUCCESS_OUTCOMES: ReadonlySet<string> = new Set(['succeeded', 'no_op']);

/**
 * Decides whether one matched record is a success.
 *
 * `none`: the record is untouched and succeeds when its status (else `state`) is one of the
 * success statuses. Only a record with no status at all falls back to a boolean `success` field,
 * so `status: "failed", success: true` is a failure (the reference counted it as a success).
 *
 * `homeboy-agent-task`: the record status becomes host-owned. `completed`/`failed`/`missing_record`
 * stay; otherwise the provider outcome (`outcome.status`, `outcome_status`, `provider_status`,
 * else the status itself) maps to `completed` when it is `succeeded`, `no_op` or a success status,
 * and to `failed` otherwise. A rewritten provider status is kept at `record.outcome.status`.
 */
export function judgeRecord(record: JsonObject, policy: RecordPolicy): JudgedRecord {
  const status = statusOf(record);
  if (policy.statusMapping === 'none') {
    if (status === '') return { record, success: record['success'] === true };
    return { record, success: status !== 'missing_record' && policy.successStatuses.has(status) };
  }
  if (HOST_STATUSES.has(status)) return { record: record['status'] === status ? record : { ...record, status }, success: status === 'completed' };
  const outcome = providerOutcome(record) || status;
  const success = outcome === '' ? record['success'] === true : AGENT_TASK_SUCCESS_OUTCOMES.has(outcome) || policy.successStatuses.has(outcome);
  const mapped: JsonObject = { ...record, status: success ? 'completed' : 'failed' };
  if (status !== '') preserveProviderStatus(mapped, status);
  return { record: mapped, success };
}

function statusOf(record: JsonObject): string {
  const status = Object.hasOwn(record, 'status') && typeof record['status'] === 'string' ? record['status'].trim() : '';
  if (status !== '') return status;
  return Object.hasOwn(record, 'state') && typeof record['state'] === 'string' ? record['state'].trim() : '';
}

function providerOutcome(record: JsonObject): string {
  const outcome = Object.hasOwn(record, 'outcome') ? record['outcome'] : undefined;
  const fromOutcome = isPlainObject(outcome) && Object.hasOwn(outcome, 'status') ? textOf(outcome['status']) : '';
  return fromOutcome || ownText(record, 'outcome_status') || ownText(record, 'provider_status');
}

function preserveProviderStatus(record: JsonObject, status: string): void {
  const outcome = record['outcome'];
  if (outcome === undefined) record['outcome'] = { status };
  else if (isPlainObject(outcome) && !Object.hasOwn(outcome, 'status')) record['outcome'] = { ...outcome, status };
}

function ownText(record: JsonObject, field: string): string {
  return Object.hasOwn(record, field) ? textOf(record[field]) : '';
}
