import { describe, expect, it } from 'vitest';
import { createGenericFanoutReconcilePlan } from './create-generic-fanout-reconcile-plan.js';

describe('createGenericFanoutReconcilePlan', () => {
  it('T1 P({}) is the empty plan', () => {
    expect(createGenericFanoutReconcilePlan({}).summary).toEqual({ item_count: 0, group_count: 0, task_count: 0, config_schema: 'homeboy/generic-fanout-reconcile-config/v1' });
    expect(createGenericFanoutReconcilePlan().task_requests).toEqual([]);
  });

  it('T8 an input without a config key is itself the config', () => {
    expect(createGenericFanoutReconcilePlan({ group_key_path: 'c', items: [{ id: 'a', c: 'cc' }] }).groups).toEqual([{ key: 'cc', index: 0, item_count: 1 }]);
  });

  it('reads items and groups beside config', () => {
    expect(createGenericFanoutReconcilePlan({ config: { group_key_path: 'c' }, items: [{ c: 'x' }] }).groups).toEqual([{ key: 'x', index: 0, item_count: 1 }]);
    expect(createGenericFanoutReconcilePlan({ config: { orchestrator: { run_id: 'r' } }, groups: [{ key: 'g' }] }).task_requests.map((request) => request.id)).toEqual(['r-g']);
  });

  it('rejects a non-object input with an InputError (the reference threw a TypeError on null)', () => {
    expect(() => createGenericFanoutReconcilePlan(null)).toThrow('input: $: expected object, got null');
  });
});
