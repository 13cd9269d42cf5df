import { describe, expect, it } from 'vitest';
import { createFanoutReconciler } from './create-fanout-reconciler.js';
import { reconcileFanout } from './reconcile-fanout.js';

const plan = { schema: 'homeboy/fanout-reconcile-plan/v1', groups: [{ key: 'a' }, { key: 'b' }], task_requests: [{ id: 'task-a', group_key: 'a' }, { id: 'task-b', group_key: 'b' }] };
const records = [{ id: 'task-a', status: 'failed', n: 0 }, { id: 'nope' }, { group_key: 'b', status: 'completed', n: 2 }, { status: 'x' }, { task_id: 'task-a', status: 'completed', n: 4 }, { id: 'task-b', status: 'completed', n: 5 }];

describe('createFanoutReconciler', () => {
  it('fed one record at a time, gives what reconcileFanout gives for the array', () => {
    const reconciler = createFanoutReconciler({ plan });
    for (const record of records) reconciler.add(record);
    expect(reconciler.finish()).toEqual(reconcileFanout({ plan, records }));
  });

  it('lists superseded records in input order', () => {
    expect(reconcileFanout({ plan, records }).duplicate_records.map((entry) => entry.record_index)).toEqual([0, 2]);
  });

  it('without retaining reported records, counts them and lists each again from its position, as the retained result does', () => {
    const retained = reconcileFanout({ plan, records });
    const reconciler = createFanoutReconciler({ plan }, { retainReported: false });
    for (const record of records) reconciler.add(record);
    const result = reconciler.finish();
    expect(result.unmatched_records).toEqual([]);
    expect(result.duplicate_records).toEqual([]);
    expect(result.reconciliation).toEqual(retained.reconciliation);
    expect(result.records).toEqual(retained.records);
    const again = <T>(entryOf: (record: unknown, at: number) => T | undefined) => records.flatMap((record, at) => {
      const entry = entryOf(record, at);
      return entry === undefined ? [] : [{ ...entry, record }];
    });
    expect(again(reconciler.unmatchedEntry)).toEqual(retained.unmatched_records);
    expect(again(reconciler.duplicateEntry)).toEqual(retained.duplicate_records);
  });
});
