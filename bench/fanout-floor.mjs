// The floor for `npm run bench:fanout`: the least a program can do to produce the same bytes as
// `drover fanout plan|reconcile` for the bench's config — read, JSON.parse, one Map, one loop,
// JSON.stringify, write. No validation, no templates, nothing general. Plain JS, no imports
// beyond node:fs, so its start-up is node's own.
import { readFileSync, writeFileSync } from 'node:fs';

const [mode, configFile, second, third, fourth] = process.argv.slice(2);
const config = JSON.parse(readFileSync(configFile, 'utf8'));
const orchestrator = config.orchestrator;

if (mode === 'plan') {
  const items = JSON.parse(readFileSync(second, 'utf8'));
  const groups = new Map();
  for (let index = 0; index < items.length; index++) {
    const item = items[index];
    item.index = index;
    const members = groups.get(item.category);
    if (members === undefined) groups.set(item.category, [item]);
    else members.push(item);
  }
  const planGroups = [];
  const tasks = [];
  for (const [key, members] of groups) {
    const index = planGroups.length;
    planGroups.push({ key, index, item_count: members.length });
    tasks.push({
      id: `task-${key}`,
      group_key: key,
      item_ids: members.map((item) => item.id),
      instructions: `Process ${key} with ${members.length} item(s).`,
      inputs: { items: members },
      orchestrator: { ...orchestrator, group_index: index },
      runtime_execution: { backend: 'caller-provided-executor', task: { name: 'process-generic-group', group: key } },
    });
  }
  const plan = {
    schema: 'homeboy/fanout-reconcile-plan/v1',
    orchestrator,
    summary: { item_count: items.length, group_count: planGroups.length, task_count: tasks.length, config_schema: config.schema },
    groups: planGroups,
    task_requests: tasks,
    reconciliation: reconciliation(planGroups.length, tasks.length, 0, 0, 0, [], 0),
  };
  writeFileSync(third, `${JSON.stringify(plan, null, 2)}\n`);
} else {
  const plan = JSON.parse(readFileSync(second, 'utf8'));
  const records = JSON.parse(readFileSync(third, 'utf8'));
  const tasks = plan.task_requests;
  const byId = new Map();
  for (let position = 0; position < tasks.length; position++) byId.set(tasks[position].id, position);
  const byTask = new Array(tasks.length);
  for (const record of records) byTask[byId.get(record.task_id)] = record;
  const outcomes = [];
  const failed = [];
  const applied = [];
  let success = 0;
  for (let position = 0; position < tasks.length; position++) {
    const record = byTask[position];
    if (record.status === 'completed') {
      success++;
      applied.push(tasks[position].id);
    } else failed.push(tasks[position].id);
    outcomes.push(record.outcome);
  }
  const result = {
    schema: 'homeboy/generic-fanout-reconcile-result/v1',
    plan_schema: plan.schema,
    orchestrator: plan.orchestrator,
    summary: plan.summary,
    records: byTask,
    outcomes,
    reconciliation: reconciliation(plan.groups.length, tasks.length, records.length, success, outcomes.length, failed, tasks.length - success),
    status: success === tasks.length ? 'completed' : 'failed',
    unmatched_records: [],
    duplicate_records: [],
    // The bench's records are completed (→ apply) or failed (→ review), none without changes.
    outcome_classes: { apply: applied, review: failed, retry: [], report: [] },
    no_change: [],
  };
  Object.assign(result.reconciliation, { outcome_class_counts: { apply: applied.length, review: failed.length, retry: 0, report: 0 }, no_change_count: 0, no_change_counts: {} });
  writeFileSync(fourth, `${JSON.stringify(result, null, 2)}\n`);
}

function reconciliation(groupCount, taskCount, recordCount, successCount, outcomeCount, failedTaskIds, failureCount) {
  return {
    schema: 'homeboy/generic-fanout-reconcile-reconciliation/v1',
    group_count: groupCount,
    task_count: taskCount,
    record_count: recordCount,
    success_count: successCount,
    failure_count: failureCount,
    outcome_count: outcomeCount,
    failed_task_ids: failedTaskIds,
    missing_count: 0,
    unmatched_count: 0,
    duplicate_count: 0,
  };
}
