import type { FanoutReconciliation } from './fanout-plan.js';

export interface ReconciliationCounts {
  readonly recordCount: number;
  readonly successCount: number;
  readonly failureCount: number;
  readonly outcomeCount: number;
  readonly failedTaskIds: string[];
  readonly missingCount: number;
  readonly unmatchedCount: number;
  readonly duplicateCount: number;
}

const NO_RECORDS: ReconciliationCounts = { recordCount: 0, successCount: 0, failureCount: 0, outcomeCount: 0, failedTaskIds: [], missingCount: 0, unmatchedCount: 0, duplicateCount: 0 };

/** The reconciliation block in its fixed key order; without counts it is the plan's empty one. */
export function buildReconciliation(schema: string, groupCount: number, taskCount: number, counts: ReconciliationCounts = NO_RECORDS): FanoutReconciliation {
  return {
    schema,
    group_count: groupCount,
    task_count: taskCount,
    record_count: counts.recordCount,
    success_count: counts.successCount,
    failure_count: counts.failureCount,
    outcome_count: counts.outcomeCount,
    failed_task_ids: [...counts.failedTaskIds],
    missing_count: counts.missingCount,
    unmatched_count: counts.unmatchedCount,
    duplicate_count: counts.duplicateCount,
  };
}
