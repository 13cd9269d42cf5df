import { describe, expect, it } from 'vitest';
import { InputError } from '../../errors/input-error.js';
import { planFanout } from './plan-fanout.js';

const EMPTY_RECONCILIATION = { schema: 'homeboy/generic-fanout-reconcile-reconciliation/v1', group_count: 0, task_count: 0, record_count: 0, success_count: 0, failure_count: 0, outcome_count: 0, failed_task_ids: [], missing_count: 0, unmatched_count: 0, duplicate_count: 0 };

describe('planFanout', () => {
  it('T1 empty input gives an empty plan', () => {
    const plan = planFanout();
    expect(plan).toEqual({
      schema: 'homeboy/fanout-reconcile-plan/v1',
      orchestrator: {},
      summary: { item_count: 0, group_count: 0, task_count: 0, config_schema: 'homeboy/generic-fanout-reconcile-config/v1' },
      groups: [],
      task_requests: [],
      reconciliation: EMPTY_RECONCILIATION,
    });
    expect(Object.keys(plan)).toEqual(['schema', 'orchestrator', 'summary', 'groups', 'task_requests', 'reconciliation']);
  });

  it('T2 category grouping, template and runtime_execution (the upstream smoke test)', () => {
    const plan = planFanout({
      config: {
        orchestrator: { id: 'fixture-orchestrator', run_id: 'fixture-run', plan_id: 'fixture-plan' },
        group_key_path: 'category',
        task_request_template: {
          id: 'task-{{group.key}}',
          group_key: '{{group.key}}',
          item_ids: '{{group.item_ids}}',
          item_count: '{{group.item_count}}',
          instructions: 'Process {{group.key}} with {{group.item_count}} item(s).',
          inputs: { items: '{{group.items}}' },
        },
        runtime_execution: { backend: 'caller-provided-executor', task: { name: 'process-generic-group', group: '{{group.key}}' } },
      },
      items: [
        { id: 'a1', category: 'alpha' },
        { id: 'a2', category: 'alpha' },
        { id: 'b1', category: 'beta' },
      ],
    });
    expect(plan.groups.map((group) => group.key)).toEqual(['alpha', 'beta']);
    expect(plan.task_requests.map((request) => request.id)).toEqual(['task-alpha', 'task-beta']);
    const first = plan.task_requests[0];
    expect(first?.['item_ids']).toEqual(['a1', 'a2']);
    expect(first?.['item_count']).toBe(2);
    expect(first?.['instructions']).toBe('Process alpha with 2 item(s).');
    expect(first?.['inputs']).toEqual({ items: [{ id: 'a1', category: 'alpha', index: 0 }, { id: 'a2', category: 'alpha', index: 1 }] });
    expect(first?.runtime_execution).toEqual({ backend: 'caller-provided-executor', task: { name: 'process-generic-group', group: 'alpha' } });
    expect(first?.orchestrator).toEqual({ id: 'fixture-orchestrator', run_id: 'fixture-run', plan_id: 'fixture-plan', group_index: 0 });
    expect(plan.reconciliation.record_count).toBe(0);
    expect(first).not.toHaveProperty('sandbox_session_id');
    expect(first).not.toHaveProperty('wp_codebox_command');
  });

  it('T3 group-key fallbacks when the configured path is missing', () => {
    const plan = planFanout({ items: [{ group_key: ' g1 ' }, { groupKey: 'g2' }, { kind: 'k' }, { id: 7 }, { x: 1 }, 'str', 5, null] });
    expect(plan.groups).toEqual([
      { key: 'g1', index: 0, item_count: 1 },
      { key: 'g2', index: 1, item_count: 1 },
      { key: 'k', index: 2, item_count: 1 },
      { key: '7', index: 3, item_count: 1 },
      { key: 'default', index: 4, item_count: 4 },
    ]);
    expect(plan.task_requests.map((request) => request.id)).toEqual(['fanout-g1', 'fanout-g2', 'fanout-k', 'fanout-7', 'fanout-default']);
  });

  it('T4 nested path, run_id prefix and id sanitisation', () => {
    const plan = planFanout({ config: { group_key_path: 'meta.cat', orchestrator: { run_id: 'r 1' } }, items: [{ id: 'a', meta: { cat: 'x/y' } }, { id: 'b', meta: { cat: 'x/y' } }, { id: 'c' }] });
    expect(plan.groups.map((group) => group.key)).toEqual(['x/y', 'c']);
    expect(plan.task_requests).toEqual([
      { id: 'r-1-x-y', group_key: 'x/y', orchestrator: { run_id: 'r 1', group_index: 0 } },
      { id: 'r-1-c', group_key: 'c', orchestrator: { run_id: 'r 1', group_index: 1 } },
    ]);
  });

  it('T5 plan_id is used when run_id is absent; runs of illegal characters collapse to one "-"', () => {
    expect(planFanout({ config: { orchestrator: { plan_id: 'p#1' } }, items: [{ group_key: 'a b/c:d' }] }).task_requests).toEqual([{ id: 'p-1-a-b-c-d', group_key: 'a b/c:d', orchestrator: { plan_id: 'p#1', group_index: 0 } }]);
  });

  it('T6 explicit groups: key fallbacks, non-object items, empty groups kept', () => {
    const plan = planFanout({ groups: [{ items: ['v', { id: 'q' }] }, { group_key: 'gk' }, { id: 3, items: [] }] });
    expect(plan.summary.item_count).toBe(2);
    expect(plan.groups).toEqual([
      { key: 'group-1', index: 0, item_count: 2 },
      { key: 'gk', index: 1, item_count: 0 },
      { key: '3', index: 2, item_count: 0 },
    ]);
    expect(plan.task_requests.map((request) => request.id)).toEqual(['fanout-group-1', 'fanout-gk', 'fanout-3']);
  });

  it('T6 explicit groups ignore the top-level items; config.groups work too', () => {
    expect(planFanout({ groups: [{ key: 'a', items: [{}] }], items: [{}, {}, {}] }).summary.item_count).toBe(1);
    expect(planFanout({ config: { groups: [{ key: 'a' }] } }).groups).toEqual([{ key: 'a', index: 0, item_count: 0 }]);
  });

  it('T7 an empty groups array falls back to grouping items', () => {
    expect(planFanout({ groups: [], items: [{ id: 'z', group_key: 'zz' }] }).groups).toEqual([{ key: 'zz', index: 0, item_count: 1 }]);
  });

  it('T17 plan_schema, schema and summary overrides (summary may override counts)', () => {
    const plan = planFanout({ config: { plan_schema: 'x/plan/v9', schema: 'my/config', summary: { item_count: 100, note: 'n' } }, items: [{ group_key: 'g' }] });
    expect(plan.schema).toBe('x/plan/v9');
    expect(plan.summary).toEqual({ item_count: 100, group_count: 1, task_count: 1, config_schema: 'my/config', note: 'n' });
    expect(Object.keys(plan.summary)).toEqual(['item_count', 'group_count', 'task_count', 'config_schema', 'note']);
  });

  it('T18 fixed: a group_by array joins its values with ":" (the reference used only a one-element array)', () => {
    expect(planFanout({ config: { group_by: ['category'] }, items: [{ id: 'a', category: 'c1' }] }).groups.map((group) => group.key)).toEqual(['c1']);
    expect(planFanout({ config: { group_by: ['a', 'b'] }, items: [{ id: 'i1', a: 'x', b: 'y' }] }).groups.map((group) => group.key)).toEqual(['x:y']);
  });

  it('config.items are used when no items are passed; passed items win', () => {
    expect(planFanout({ config: { items: [{ group_key: 'c' }] } }).groups.map((group) => group.key)).toEqual(['c']);
    expect(planFanout({ config: { items: [{ group_key: 'c' }] }, items: [{ group_key: 'i' }] }).groups.map((group) => group.key)).toEqual(['i']);
  });

  it('T31 fixed: duplicate task ids are an input error at plan time, naming the JSON path', () => {
    const plan = () => planFanout({ config: { task_request_template: { id: 'same' } }, items: [{ group_key: 'a' }, { group_key: 'b' }] });
    expect(plan).toThrow(InputError);
    expect(plan).toThrow('config: $.task_requests[1].id: duplicate task id "same" (also $.task_requests[0]); the task_request_template must give each group its own id');
  });

  it('catches default ids that collide after sanitisation', () => {
    expect(() => planFanout({ items: [{ group_key: 'a/b' }, { group_key: 'a b' }] }, { sources: { config: 'c.json' } })).toThrow('c.json: $.task_requests[1].id: duplicate task id "fanout-a-b"');
  });

  it('names task_id in the path when the id comes from task_id', () => {
    expect(() => planFanout({ config: { task_request_template: { task_id: 'same' } }, items: [{ group_key: 'a' }, { group_key: 'b' }] })).toThrow('config: $.task_requests[1].task_id: duplicate task id "same"');
  });

  it('rejects items or groups that are not arrays', () => {
    expect(() => planFanout({ items: { a: 1 } }, { sources: { items: 'items.json' } })).toThrow('items.json: $: expected array, got object');
    expect(() => planFanout({ groups: 'g' })).toThrow('config: $.groups: expected array, got string');
  });

  it('keeps the item payloads out of plan.groups', () => {
    expect(planFanout({ items: [{ group_key: 'a', secret: 1 }] }).groups).toEqual([{ key: 'a', index: 0, item_count: 1 }]);
  });
});
