import { buildReconciliation } from '../plan/build-reconciliation.js';
import { compileFanoutConfig } from '../config/compile-fanout-config.js';
import type { StatusMapping } from '../schemas/fanout-config-schema.js';
import { classifyOutcome, type OutcomeClass } from './classify-outcome.js';
import type { DuplicateRecord, FanoutResult, NoChangeTask, UnmatchedRecord } from './fanout-result.js';
import { sourceName, type FanoutSources } from '../config/fanout-sources.js';
import { getOwnPath } from '../json/get-own-path.js';
import { indexPlanTasks } from './index-plan-tasks.js';
import type { JsonObject } from '../../util/is-plain-object.js';
import { judgeRecord } from './judge-record.js';
import { createRecordMatcher } from './match-records.js';
import { normalizeFanoutPlan } from './normalize-fanout-plan.js';
import { setOwnProperty } from '../json/set-own-property.js';
import { textOf } from '../json/text-of.js';

export interface FanoutReconcilerInput {
  /** The same config the plan was built with (its reconcile-side fields are read here). */
  readonly config?: unknown;
  /** A plan from `planFanout`, any `homeboy/fanout-reconcile-plan/v1`, or a `homeboy/agent-task-fanout-plan/v1`. */
  readonly plan: unknown;
}

export interface FanoutReconcilerOptions {
  readonly sources?: FanoutSources;
  /** The status mapping when the config sets none. Default `none`. */
  readonly defaultStatusMapping?: StatusMapping;
  /**
   * Keep unmatched and superseded records for the result (default true). With false they are only
   * counted, `unmatched_records` and `duplicate_records` come back empty, and memory is bounded by
   * the plan's tasks whatever the number of records: for a caller that can read the records again
   * and list them with `unmatchedEntry` / `duplicateEntry`.
   */
  readonly retainReported?: boolean;
}

/** A reconciler fed one record at a time; `finish()` builds the result. */
export interface FanoutReconciler {
  add(record: unknown): void;
  finish(): FanoutResult;
  /** After `finish()`: the `unmatched_records` entry (without `record`) of the record at this position, if it matched nothing. */
  unmatchedEntry(record: unknown, recordIndex: number): Omit<UnmatchedRecord, 'record'> | undefined;
  /** After `finish()`: the `duplicate_records` entry (without `record`) of the record at this position, if a later one superseded it. */
  duplicateEntry(record: unknown, recordIndex: number): Omit<DuplicateRecord, 'record'> | undefined;
}

/**
 * Reconciles executed records against a plan in linear time: one record per planned task in
 * plan order (`missing_record` where none came back), the outcomes, the counts, and every record
 * that matched nothing or was superseded by a later one. Only the last record per task is kept
 * while records go by. `reconcileFanout` is this reconciler fed an array.
 */
export function createFanoutReconciler(input: FanoutReconcilerInput, options: FanoutReconcilerOptions = {}): FanoutReconciler {
  const config = compileFanoutConfig(input.config, options.sources);
  const { plan, tasks, identities } = normalizeFanoutPlan(input.plan, sourceName(options.sources, 'plan'));
  const matcher = createRecordMatcher(indexPlanTasks(tasks), identities, { retainReported: options.retainReported ?? true });
  const policy = { statusMapping: config.statusMapping ?? options.defaultStatusMapping ?? 'none', successStatuses: config.successStatuses };

  return {
    add: (record) => matcher.add(record),
    unmatchedEntry: (record, recordIndex) => matcher.unmatchedEntry(record, recordIndex),
    duplicateEntry: (record, recordIndex) => matcher.duplicateEntry(record, recordIndex),
    finish() {
      const matches = matcher.finish();
      const finalRecords: JsonObject[] = [];
      const outcomes: unknown[] = [];
      const failedTaskIds: string[] = [];
      let successCount = 0;
      let missingCount = 0;
      const classes: Record<OutcomeClass, string[]> = { apply: [], review: [], retry: [], report: [] };
      const noChange: NoChangeTask[] = [];
      const noChangeCounts: Record<string, number> = {};
      const classify = (record: JsonObject, success: boolean, taskId: string) => {
        const { outcomeClass, noChange: reason } = classifyOutcome(record, success, config.outcomeClasses);
        classes[outcomeClass].push(taskId);
        if (reason === undefined) return;
        noChange.push({ task_id: taskId, reason });
        setOwnProperty(noChangeCounts, reason, ((Object.hasOwn(noChangeCounts, reason) ? noChangeCounts[reason] : 0) ?? 0) + 1);
      };

      tasks.forEach((task, position) => {
        const taskId = identities[position]?.key ?? '';
        const matched = matches.byTask[position];
        if (matched === undefined) {
          missingCount++;
          failedTaskIds.push(taskId);
          const missing = { id: taskId, group_key: textOf(task['group_key']) === '' ? '' : task['group_key'], status: 'missing_record' };
          finalRecords.push(missing);
          classify(missing, false, taskId);
          return;
        }
        const { record, success } = judgeRecord(matched, policy);
        finalRecords.push(record);
        classify(record, success, taskId);
        if (success) successCount++;
        else failedTaskIds.push(taskId);
        const outcome = getOwnPath(record, config.outcomePath);
        if (outcome !== undefined && outcome !== null) outcomes.push(outcome);
      });

      const result: JsonObject = { schema: config.resultSchema };
      if (plan['schema'] !== undefined) result['plan_schema'] = plan['schema'];
      if (plan['orchestrator'] !== undefined) result['orchestrator'] = plan['orchestrator'];
      if (config.includeSummary && plan['summary'] !== undefined) result['summary'] = plan['summary'];
      for (const key of Object.keys(config.baseRun)) setOwnProperty(result, key, config.baseRun[key]);
      result['records'] = finalRecords;
      result['outcomes'] = outcomes;
      result['reconciliation'] = buildReconciliation(config.reconciliationSchema, Array.isArray(plan['groups']) ? plan['groups'].length : 0, tasks.length, {
        recordCount: finalRecords.length,
        successCount,
        failureCount: tasks.length - successCount,
        outcomeCount: outcomes.length,
        failedTaskIds,
        missingCount,
        unmatchedCount: matches.unmatchedCount,
        duplicateCount: matches.duplicateCount,
      });
      Object.assign(result['reconciliation'] as object, {
        outcome_class_counts: { apply: classes.apply.length, review: classes.review.length, retry: classes.retry.length, report: classes.report.length },
        no_change_count: noChange.length,
        no_change_counts: noChangeCounts,
      });
      result['status'] = successCount === tasks.length ? 'completed' : 'failed';
      result['unmatched_records'] = matches.unmatched;
      result['duplicate_records'] = matches.duplicates;
      result['outcome_classes'] = classes;
      result['no_change'] = noChange;
      return result as FanoutResult;
    },
  };
}
