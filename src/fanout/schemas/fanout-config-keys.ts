import { OUTCOME_CLASSES } from '../reconcile/classify-outcome.js';

/** Keys the result sets itself; `base_run` may not supply them. */
export const RESULT_OWNED_KEYS: readonly string[] = ['schema', 'plan_schema', 'orchestrator', 'summary', 'records', 'outcomes', 'reconciliation', 'status', 'unmatched_records', 'duplicate_records', 'outcome_classes', 'no_change'];

export const STATUS_MAPPINGS = ['none', 'homeboy-agent-task'] as const;
export type StatusMapping = (typeof STATUS_MAPPINGS)[number];

export { OUTCOME_CLASSES };
