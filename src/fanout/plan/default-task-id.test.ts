import { describe, expect, it } from 'vitest';
import { defaultTaskId } from './default-task-id.js';

describe('defaultTaskId', () => {
  it('prefixes run_id, else plan_id, else "fanout"', () => {
    expect(defaultTaskId({ run_id: 'r', plan_id: 'p' }, 'k')).toBe('r-k');
    expect(defaultTaskId({ plan_id: 'p' }, 'k')).toBe('p-k');
    expect(defaultTaskId({}, 'k')).toBe('fanout-k');
  });

  it('T4/T5 collapses each run of unsafe characters to one "-"', () => {
    expect(defaultTaskId({ run_id: 'r 1' }, 'x/y')).toBe('r-1-x-y');
    expect(defaultTaskId({ plan_id: 'p#1' }, 'a b/c:d')).toBe('p-1-a-b-c-d');
    expect(defaultTaskId({}, 'v1.2_x-y')).toBe('fanout-v1.2_x-y');
  });
});
