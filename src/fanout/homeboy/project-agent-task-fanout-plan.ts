import { InputError } from '../../errors/input-error.js';
import { describeValue } from '../../util/describe-value.js';
import { jsonPath } from '../../util/json-path.js';
import { AGENT_TASK_FANOUT_AGGREGATE_SCHEMA, AGENT_TASK_FANOUT_PLAN_SCHEMA, PLAN_SCHEMA } from '../schemas/fanout-schema-ids.js';
import { isPlainObject, type JsonObject } from '../../util/is-plain-object.js';
import { textOf } from '../json/text-of.js';

/** True for a Homeboy durable-scheduler plan (`homeboy/agent-task-fanout-plan/v1`), itself or under `inputs`. */
export function isAgentTaskFanoutPlan(plan: JsonObject): boolean {
  const inputs = plan['inputs'];
  return plan['schema'] === AGENT_TASK_FANOUT_PLAN_SCHEMA || (isPlainObject(inputs) && inputs['schema'] === AGENT_TASK_FANOUT_PLAN_SCHEMA);
}

/**
 * Projects a Homeboy agent-task fanout plan into a generic plan, one task request (and one
 * group) per task, so records from the durable scheduler reconcile like any other. The original
 * plan is kept under `homeboy_fanout_plan`.
 */
export function projectAgentTaskFanoutPlan(plan: JsonObject, source: string): JsonObject {
  const inputs = isPlainObject(plan['inputs']) ? plan['inputs'] : {};
  const fanoutId = textOf(plan['fanout_id']) || textOf(inputs['fanout_id']) || textOf(plan['id']);
  if (fanoutId === '') throw new InputError('Homeboy agent-task fanout plan requires fanout_id', { file: source, jsonPath: '$.fanout_id' });
  const plane = textOf(plan['plane']) || textOf(inputs['plane']) || 'isolated_tasks';
  const { tasks, path } = agentTasks(plan, inputs);
  if (tasks.length === 0) throw new InputError('Homeboy agent-task fanout plan requires at least one task', { file: source, jsonPath: jsonPath(path) });

  const taskRequests = tasks.map((task, index) => {
    if (!isPlainObject(task)) throw new InputError(`expected object, got ${describeValue(task)}`, { file: source, jsonPath: jsonPath([...path, index]) });
    const taskId = textOf(task['task_id']) || textOf(task['id']) || textOf(task['name']);
    if (taskId === '') throw new InputError('Homeboy agent-task fanout task requires task_id', { file: source, jsonPath: jsonPath([...path, index, 'task_id']) });
    const ownOrchestrator = isPlainObject(task['orchestrator']) ? task['orchestrator'] : {};
    return {
      ...task,
      task_id: taskId,
      id: textOf(task['id']) || taskId,
      group_key: textOf(task['group_key']) || fanoutId,
      orchestrator: { ...ownOrchestrator, fanout_id: fanoutId, plane, group_index: index },
    };
  });

  const projected: JsonObject = { schema: PLAN_SCHEMA, plan_schema: AGENT_TASK_FANOUT_PLAN_SCHEMA };
  if (isPlainObject(plan['orchestrator'])) projected['orchestrator'] = plan['orchestrator'];
  projected['summary'] = { fanout_id: fanoutId, plane, task_count: taskRequests.length, group_count: taskRequests.length, item_count: taskRequests.length, source_schema: AGENT_TASK_FANOUT_PLAN_SCHEMA };
  projected['groups'] = taskRequests.map((task, index) => ({ key: task.group_key, index, item_count: 1 }));
  projected['task_requests'] = taskRequests;
  projected['reconciliation'] = { schema: AGENT_TASK_FANOUT_AGGREGATE_SCHEMA, fanout_id: fanoutId, plane, status: 'planned' };
  projected['homeboy_fanout_plan'] = plan;
  return projected;
}

function agentTasks(plan: JsonObject, inputs: JsonObject): { tasks: readonly unknown[]; path: PropertyKey[] } {
  if (Array.isArray(plan['tasks'])) return { tasks: plan['tasks'], path: ['tasks'] };
  if (Array.isArray(inputs['tasks'])) return { tasks: inputs['tasks'], path: ['inputs', 'tasks'] };
  const steps = Array.isArray(plan['steps']) ? plan['steps'] : Array.isArray(inputs['steps']) ? inputs['steps'] : undefined;
  if (steps === undefined) return { tasks: [], path: ['tasks'] };
  return { tasks: steps.map(stepRequest), path: Array.isArray(plan['steps']) ? ['steps'] : ['inputs', 'steps'] };
}

function stepRequest(step: unknown): unknown {
  if (!isPlainObject(step)) return step;
  const stepInputs = step['inputs'];
  if (isPlainObject(stepInputs) && isPlainObject(stepInputs['request'])) return stepInputs['request'];
  if (isPlainObject(step['request'])) return step['request'];
  return step;
}
