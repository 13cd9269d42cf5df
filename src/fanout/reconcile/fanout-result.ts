import type { OutcomeClass } from './classify-outcome.js';
import type { FanoutReconciliation } from '../plan/fanout-plan.js';
import type { JsonObject } from '../../util/is-plain-object.js';

/**
 * The result document (`homeboy/generic-fanout-reconcile-result/v1`). Keys come in the
 * reference's order (`schema`, `plan_schema`, `orchestrator`, `summary`, `base_run` keys,
 * `records`, `outcomes`, `reconciliation`, `status`); `unmatched_records` and
 * `duplicate_records`, `outcome_classes` and `no_change` are drover's additions and come last.
 */
export interface FanoutResult {
  schema: string;
  plan_schema?: unknown;
  orchestrator?: unknown;
  summary?: unknown;
  records: JsonObject[];
  outcomes: unknown[];
  reconciliation: FanoutReconciliation;
  status: FanoutRunStatus;
  unmatched_records: UnmatchedRecord[];
  duplicate_records: DuplicateRecord[];
  /** drover: the ids of the planned tasks in each outcome class, in plan order. */
  outcome_classes: Record<OutcomeClass, string[]>;
  /** drover: successful tasks that changed nothing, with why, in plan order. */
  no_change: NoChangeTask[];
  [key: string]: unknown;
}

export interface NoChangeTask {
  task_id: string;
  /** `already-done` (a no_op outcome), `analysis-only` (an empty list of changed files), or the record's own word. */
  reason: string;
}

export type FanoutRunStatus = 'completed' | 'failed';

/**
 * Why a record matched no task:
 * - `not_an_object`: the record is not a JSON object;
 * - `no_match_key`: it has none of `task_id`, `id`, `sandbox_session_id`, `group_key`;
 * - `no_matching_task`: it has keys, but no task carries them;
 * - `ambiguous`: its only matching keys are shared by several tasks (e.g. a repeated group_key).
 */
export type UnmatchedReason = 'not_an_object' | 'no_match_key' | 'no_matching_task' | 'ambiguous';

export interface UnmatchedRecord {
  /** Position in the records input. */
  record_index: number;
  reason: UnmatchedReason;
  record: unknown;
}

/** A record that matched a task another record also matched. The later record is kept. */
export interface DuplicateRecord {
  record_index: number;
  task_id: string;
  /** Position of the record that was kept for this task. */
  kept_record_index: number;
  record: JsonObject;
}
