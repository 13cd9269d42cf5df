import { describe, expect, it } from 'vitest';
import { assertUniqueTaskIds } from '../plan/assert-unique-task-ids.js';
import { indexPlanTasks } from './index-plan-tasks.js';
import { matchRecords } from './match-records.js';

const tasks = [
  { id: 'task-alpha', group_key: 'alpha' },
  { id: 'task-beta', group_key: 'beta', sandbox_session_id: 'sess-b' },
  { id: 'task-gamma', task_id: 'T-gamma', group_key: 'shared' },
  { id: 'task-delta', group_key: 'shared' },
];
const match = (records: unknown[]) => matchRecords(records, indexPlanTasks(tasks), assertUniqueTaskIds(tasks, 'plan'));

describe('matchRecords', () => {
  it('matches by id, task_id, sandbox_session_id and group_key', () => {
    const records = [{ id: 'task-alpha' }, { sandbox_session_id: 'sess-b' }, { task_id: 'T-gamma' }, { id: 'task-delta' }];
    expect(match(records).byTask).toEqual(records);
    expect(match([{ sandbox_session_id: 'task-alpha' }]).byTask[0]).toEqual({ sandbox_session_id: 'task-alpha' });
    expect(match([{ group_key: 'beta' }]).byTask[1]).toEqual({ group_key: 'beta' });
    expect(match([{ id: 'task-gamma' }]).byTask[2]).toEqual({ id: 'task-gamma' });
  });

  it('tries task_id, then id, then sandbox_session_id, then group_key', () => {
    expect(match([{ task_id: 'task-beta', id: 'task-alpha' }]).byTask[1]).toBeDefined();
    expect(match([{ task_id: 'nope', id: 'task-alpha' }]).byTask[0]).toBeDefined();
    expect(match([{ id: 'record-1', group_key: 'alpha' }]).byTask[0]).toBeDefined();
  });

  it('matches numeric and padded keys as text', () => {
    const numeric = [{ id: 5, group_key: 'g' }];
    expect(matchRecords([{ id: '5 ' }], indexPlanTasks(numeric), assertUniqueTaskIds(numeric, 'plan')).byTask).toEqual([{ id: '5 ' }]);
  });

  it('reports records that match nothing, with the reason', () => {
    const { unmatched, byTask } = match([{ id: 'nobody' }, 'junk', { status: 'completed' }, { group_key: 'shared' }, null]);
    expect(byTask.every((record) => record === undefined)).toBe(true);
    expect(unmatched).toEqual([
      { record_index: 0, reason: 'no_matching_task', record: { id: 'nobody' } },
      { record_index: 1, reason: 'not_an_object', record: 'junk' },
      { record_index: 2, reason: 'no_match_key', record: { status: 'completed' } },
      { record_index: 3, reason: 'ambiguous', record: { group_key: 'shared' } },
      { record_index: 4, reason: 'not_an_object', record: null },
    ]);
  });

  it('keeps the last record for a task and lists the ones it superseded', () => {
    const records = [{ id: 'task-alpha', n: 1 }, { group_key: 'alpha', n: 2 }, { id: 'task-beta' }, { task_id: 'task-alpha', n: 3 }];
    const { byTask, duplicates } = match(records);
    expect(byTask[0]).toEqual({ task_id: 'task-alpha', n: 3 });
    expect(duplicates).toEqual([
      { record_index: 0, task_id: 'task-alpha', kept_record_index: 3, record: { id: 'task-alpha', n: 1 } },
      { record_index: 1, task_id: 'task-alpha', kept_record_index: 3, record: { group_key: 'alpha', n: 2 } },
    ]);
  });

  it('does not match through inherited properties', () => {
    expect(match([{ id: 'constructor' }, { id: 'toString' }]).unmatched.map((entry) => entry.reason)).toEqual(['no_matching_task', 'no_matching_task']);
  });
});
