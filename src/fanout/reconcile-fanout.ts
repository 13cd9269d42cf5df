import { InputError } from '../errors/input-error.js';
import { describeValue } from '../util/describe-value.js';
import { buildReconciliation } from './build-reconciliation.js';
import { compileFanoutConfig } from './compile-fanout-config.js';
import type { StatusMapping } from './fanout-config-schema.js';
import type { FanoutResult } from './fanout-result.js';
import { sourceName, type FanoutSources } from './fanout-sources.js';
import { getOwnPath } from './get-own-path.js';
import { indexPlanTasks } from './index-plan-tasks.js';
import type { JsonObject } from './is-plain-object.js';
import { judgeRecord } from './judge-record.js';
import { matchRecords } from './match-records.js';
import { normalizeFanoutPlan } from './normalize-fanout-plan.js';
import { setOwnProperty } from './set-own-property.js';
import { textOf } from './text-of.js';

export interface ReconcileFanoutInput {
  /** The same config the plan was built with (its reconcile-side fields are read here). */
  readonly config?: unknown;
  /** A plan from `planFanout`, any `homeboy/fanout-reconcile-plan/v1`, or a `homeboy/agent-task-fanout-plan/v1`. */
  readonly plan: unknown;
  /** Records an executor returned; default none. */
  readonly records?: unknown;
}

export interface ReconcileFanoutOptions {
  readonly sources?: FanoutSources;
  /** The status mapping when the config sets none. Default `none`. */
  readonly defaultStatusMapping?: StatusMapping;
}

/**
 * Reconciles executed records against a plan, synchronously and in linear time: one record per
 * planned task in plan order (`missing_record` where none came back), the outcomes, the counts,
 * and every record that matched nothing or was superseded by a later one.
 */
export function reconcileFanout(input: ReconcileFanoutInput, options: ReconcileFanoutOptions = {}): FanoutResult {
  const config = compileFanoutConfig(input.config, options.sources);
  const { plan, tasks, identities } = normalizeFanoutPlan(input.plan, sourceName(options.sources, 'plan'));
  const records = input.records ?? [];
  if (!Array.isArray(records)) throw new InputError(`expected array, got ${describeValue(records)}`, { file: sourceName(options.sources, 'records'), jsonPath: '$' });

  const matches = matchRecords(records, indexPlanTasks(tasks), identities);
  const policy = { statusMapping: config.statusMapping ?? options.defaultStatusMapping ?? 'none', successStatuses: config.successStatuses };
  const finalRecords: JsonObject[] = [];
  const outcomes: unknown[] = [];
  const failedTaskIds: string[] = [];
  let successCount = 0;
  let missingCount = 0;

  tasks.forEach((task, position) => {
    const taskId = identities[position]?.key ?? '';
    const matched = matches.byTask[position];
    if (matched === undefined) {
      missingCount++;
      failedTaskIds.push(taskId);
      finalRecords.push({ id: taskId, group_key: textOf(task['group_key']) === '' ? '' : task['group_key'], status: 'missing_record' });
      return;
    }
    const { record, success } = judgeRecord(matched, policy);
    finalRecords.push(record);
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
    unmatchedCount: matches.unmatched.length,
    duplicateCount: matches.duplicates.length,
  });
  result['status'] = successCount === tasks.length ? 'completed' : 'failed';
  result['unmatched_records'] = matches.unmatched;
  result['duplicate_records'] = matches.duplicates;
  return result as FanoutResult;
}
