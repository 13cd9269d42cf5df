import { describe, expect, it } from 'vitest';
import { assertUniqueTaskIds } from './assert-unique-task-ids.js';
import { planDependencies } from './plan-dependencies.js';

const deps = (tasks: Record<string, unknown>[]) => planDependencies(tasks, assertUniqueTaskIds(tasks, 'plan.json'), 'plan.json');

describe('planDependencies', () => {
  it('gives each request the positions of the earlier requests it names in depends_on', () => {
    expect(deps([{ id: 'a' }, { id: 'b', depends_on: ['a'] }, { id: 7, depends_on: [] }, { id: 'd', depends_on: ['b', 7] }])).toEqual([[], [0], [], [1, 2]]);
  });

  it('refuses a later, unknown, repeated or self reference, naming the JSON path', () => {
    expect(() => deps([{ id: 'a', depends_on: ['b'] }, { id: 'b' }])).toThrow('plan.json: $.task_requests[0].depends_on[0]: names "b", which is not an earlier task request ($.task_requests[1]); a request can only depend on earlier ones');
    expect(() => deps([{ id: 'a', depends_on: ['a'] }])).toThrow('names "a", which is not an earlier task request (itself)');
    expect(() => deps([{ id: 'a' }, { id: 'b', depends_on: ['ghost'] }])).toThrow('plan.json: $.task_requests[1].depends_on[0]: names "ghost", which is no task request of this plan');
    expect(() => deps([{ id: 'a' }, { id: 'b', depends_on: ['a', 'a'] }])).toThrow('$.task_requests[1].depends_on[1]: names "a" twice');
    expect(() => deps([{ id: 'a' }, { id: 'b', depends_on: 'a' }])).toThrow('$.task_requests[1].depends_on: expected an array of task request ids, got string');
    expect(() => deps([{ id: 'a' }, { id: 'b', depends_on: [{}] }])).toThrow('$.task_requests[1].depends_on[0]: expected a task request id, got object');
  });
});
