import { describe, expect, it } from 'vitest';
import { isAgentTaskFanoutPlan, projectAgentTaskFanoutPlan } from './project-agent-task-fanout-plan.js';

describe('projectAgentTaskFanoutPlan', () => {
  it('projects tasks into task requests and groups, keeping the original plan', () => {
    const plan = { schema: 'homeboy/agent-task-fanout-plan/v1', fanout_id: 'f1', plane: 'p', tasks: [{ task_id: 't1', group_key: 'g' }, { name: 'n2', orchestrator: { a: 1 } }] };
    const projected = projectAgentTaskFanoutPlan(plan, 'plan');
    expect(projected).toEqual({
      schema: 'homeboy/fanout-reconcile-plan/v1',
      plan_schema: 'homeboy/agent-task-fanout-plan/v1',
      summary: { fanout_id: 'f1', plane: 'p', task_count: 2, group_count: 2, item_count: 2, source_schema: 'homeboy/agent-task-fanout-plan/v1' },
      groups: [
        { key: 'g', index: 0, item_count: 1 },
        { key: 'f1', index: 1, item_count: 1 },
      ],
      task_requests: [
        { task_id: 't1', id: 't1', group_key: 'g', orchestrator: { fanout_id: 'f1', plane: 'p', group_index: 0 } },
        { name: 'n2', task_id: 'n2', id: 'n2', group_key: 'f1', orchestrator: { a: 1, fanout_id: 'f1', plane: 'p', group_index: 1 } },
      ],
      reconciliation: { schema: 'homeboy/agent-task-fanout-aggregate/v1', fanout_id: 'f1', plane: 'p', status: 'planned' },
      homeboy_fanout_plan: plan,
    });
  });

  it('reads inputs.* and steps[*].inputs.request / request / the step itself', () => {
    const plan = { id: 'fid', inputs: { schema: 'homeboy/agent-task-fanout-plan/v1' }, steps: [{ inputs: { request: { task_id: 'a' } } }, { request: { task_id: 'b' } }, { task_id: 'c' }] };
    expect(isAgentTaskFanoutPlan(plan)).toBe(true);
    const projected = projectAgentTaskFanoutPlan(plan, 'plan');
    expect((projected['task_requests'] as { id: string }[]).map((task) => task.id)).toEqual(['a', 'b', 'c']);
    expect((projected['summary'] as { fanout_id: string }).fanout_id).toBe('fid');
  });

  it('names what is missing', () => {
    expect(() => projectAgentTaskFanoutPlan({ tasks: [{ task_id: 't' }] }, 'plan.json')).toThrow('plan.json: $.fanout_id: Homeboy agent-task fanout plan requires fanout_id');
    expect(() => projectAgentTaskFanoutPlan({ fanout_id: 'f', tasks: [] }, 'plan.json')).toThrow('plan.json: $.tasks: Homeboy agent-task fanout plan requires at least one task');
    expect(() => projectAgentTaskFanoutPlan({ fanout_id: 'f', tasks: [{ task_id: 't' }, {}] }, 'plan.json')).toThrow('plan.json: $.tasks[1].task_id: Homeboy agent-task fanout task requires task_id');
    expect(() => projectAgentTaskFanoutPlan({ fanout_id: 'f', tasks: [3] }, 'plan.json')).toThrow('plan.json: $.tasks[0]: expected object, got number');
  });
});
