import { describe, expect, it } from 'vitest';
import { createGenericFanoutReconcilePlan } from './create-generic-fanout-reconcile-plan.js';
import { createGenericFanoutReconcileResult } from './create-generic-fanout-reconcile-result.js';

const PLAN3 = createGenericFanoutReconcilePlan({ config: { task_request_template: { id: 'task-{{group.key}}' } }, items: [{ id: 'a1', group_key: 'alpha' }, { id: 'b1', group_key: 'beta' }, { id: 'c1', group_key: 'gamma' }] });

describe('createGenericFanoutReconcileResult', () => {
  it('returns a Promise, like the reference', () => {
    const pending = createGenericFanoutReconcileResult({});
    expect(pending).toBeInstanceOf(Promise);
    return expect(pending).resolves.toMatchObject({ status: 'completed' });
  });

  it('T19 maps provider statuses like the reference by default', async () => {
    const result = await createGenericFanoutReconcileResult({ plan: PLAN3, records: [{ id: 'task-alpha', status: 'completed', outcome: { kind: 'ok' } }, { task_id: 'task-beta', id: 'other', status: 'succeeded', outcome: { status: 'succeeded' } }] });
    expect(result.records).toEqual([
      { id: 'task-alpha', status: 'completed', outcome: { kind: 'ok' } },
      { task_id: 'task-beta', id: 'other', status: 'completed', outcome: { status: 'succeeded' } },
      { id: 'task-gamma', group_key: 'gamma', status: 'missing_record' },
    ]);
    expect(result.reconciliation).toMatchObject({ success_count: 2, failure_count: 1, failed_task_ids: ['task-gamma'] });
  });

  it('the agent-task test: succeeded and no_op records complete and keep outcome.status', async () => {
    const plan = createGenericFanoutReconcilePlan({ items: [{ group_key: 'a' }, { group_key: 'b' }] });
    const result = await createGenericFanoutReconcileResult({ plan, records: [{ id: 'fanout-a', status: 'succeeded', outcome: { status: 'succeeded' } }, { id: 'fanout-b', status: 'no_op', outcome: { status: 'no_op' } }] });
    expect(result.records.map((record) => [record['status'], (record['outcome'] as { status: string }).status])).toEqual([
      ['completed', 'succeeded'],
      ['completed', 'no_op'],
    ]);
    expect(result.status).toBe('completed');
  });

  it('T29 without a plan the plan is built from the input', async () => {
    const result = await createGenericFanoutReconcileResult({ config: { group_key_path: 'c' }, items: [{ id: 'a', c: 'x' }], records: [{ id: 'fanout-x', status: 'completed' }] });
    expect(result.status).toBe('completed');
    expect(result.records).toEqual([{ id: 'fanout-x', status: 'completed' }]);
  });

  it('T29 fixed: without a config key the input itself is the config on the result side too', async () => {
    const result = await createGenericFanoutReconcileResult({ success_statuses: ['needs_review'], items: [{ group_key: 'x' }], records: [{ id: 'fanout-x', status: 'needs_review' }] });
    expect(result.status).toBe('completed');
    expect(result.reconciliation.success_count).toBe(1);
    const hostFailed = await createGenericFanoutReconcileResult({ success_statuses: ['failed'], items: [{ group_key: 'x' }], records: [{ id: 'fanout-x', status: 'failed' }] });
    expect(hostFailed.status).toBe('failed');
  });

  it('T33 records that are promises are awaited (concurrency is accepted and has no effect)', async () => {
    const result = await createGenericFanoutReconcileResult({ config: { concurrency: 24 }, plan: PLAN3, records: [Promise.resolve({ id: 'task-alpha', status: 'completed' }), { id: 'task-beta', status: 'completed' }, Promise.resolve({ id: 'task-gamma', status: 'completed' })] });
    expect(result.status).toBe('completed');
  });

  it('T34 fixed: an agent-task fanout plan is projected and counted', async () => {
    const result = await createGenericFanoutReconcileResult({ plan: { schema: 'homeboy/agent-task-fanout-plan/v1', fanout_id: 'f1', tasks: [{ task_id: 't1' }, { task_id: 't2' }] }, records: [{ task_id: 't1', status: 'succeeded' }] });
    expect(result.status).toBe('failed');
    expect(result.records).toEqual([
      { task_id: 't1', status: 'completed', outcome: { status: 'succeeded' } },
      { id: 't2', group_key: 'f1', status: 'missing_record' },
    ]);
    expect(result.reconciliation).toMatchObject({ group_count: 2, task_count: 2, record_count: 2, success_count: 1, failure_count: 1, outcome_count: 1, failed_task_ids: ['t2'] });
    expect(result.summary).toEqual({ fanout_id: 'f1', plane: 'isolated_tasks', task_count: 2, group_count: 2, item_count: 2, source_schema: 'homeboy/agent-task-fanout-plan/v1' });
    expect(result.plan_schema).toBe('homeboy/fanout-reconcile-plan/v1');
  });

  it('T31 errors reject the promise with an InputError', async () => {
    const plan = createGenericFanoutReconcilePlan({ config: { task_request_template: { id: '{{group.index}}-x' } }, items: [{ group_key: 'a' }, { group_key: 'b' }] });
    expect(plan.task_requests.map((request) => request.id)).toEqual(['0-x', '1-x']);
    await expect(createGenericFanoutReconcileResult({ plan: { task_requests: [{ id: 'same' }, { id: 'same' }] } })).rejects.toThrow('plan: $.task_requests[1].id: duplicate task id "same"');
    await expect(createGenericFanoutReconcileResult({ plan: { task_requests: [{}] } })).rejects.toThrow('plan: $.task_requests[0]: task request has no id');
    await expect(createGenericFanoutReconcileResult({ plan: { schema: 'x' } })).rejects.toThrow('plan: $.task_requests: expected array, got nothing');
    await expect(createGenericFanoutReconcileResult(null)).rejects.toThrow('input: $: expected object, got null');
  });
});
