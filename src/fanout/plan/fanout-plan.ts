import type { OutcomeClass } from '../reconcile/classify-outcome.js';
import type { JsonObject } from '../../util/is-plain-object.js';

/**
 * The plan document (`homeboy/fanout-reconcile-plan/v1`). Field names and key order are the
 * reference's, so existing consumers parse it unchanged.
 */
export interface FanoutPlan {
  schema: string;
  orchestrator: JsonObject;
  summary: FanoutPlanSummary;
  groups: FanoutPlanGroup[];
  task_requests: FanoutTaskRequest[];
  reconciliation: FanoutReconciliation;
}

export interface FanoutPlanSummary {
  item_count: number;
  group_count: number;
  task_count: number;
  config_schema: string;
  [key: string]: unknown;
}

export interface FanoutPlanGroup {
  key: string;
  index: number;
  item_count: number;
}

/** One task request: `id` and `group_key` first, then the rendered template, then `orchestrator`. */
export interface FanoutTaskRequest {
  id: string | number;
  group_key: string | number;
  orchestrator: JsonObject;
  runtime_execution?: unknown;
  [key: string]: unknown;
}

/**
 * Counts over the planned tasks. The first eight fields are the reference's; the rest are
 * drover's, so a consumer can tell missing, unmatched and duplicate records apart and act on the
 * outcome classes without reading every record.
 */
export interface FanoutReconciliation {
  schema: string;
  group_count: number;
  task_count: number;
  record_count: number;
  success_count: number;
  failure_count: number;
  outcome_count: number;
  failed_task_ids: string[];
  missing_count: number;
  unmatched_count: number;
  duplicate_count: number;
  /** Results only: planned tasks per outcome class. */
  outcome_class_counts?: Record<OutcomeClass, number>;
  /** Results only: successful tasks that changed nothing, and by reason. */
  no_change_count?: number;
  no_change_counts?: Record<string, number>;
}
