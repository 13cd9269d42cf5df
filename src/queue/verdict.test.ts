import { describe, expect, it } from 'vitest';
import { QueueBuilder } from '../testing/queue-builder.js';
import { computeVerdict } from './verdict.js';

describe('run verdict', () => {
  it('is done when every required task is done or skipped, even with an optional failure', () => {
    const q = new QueueBuilder();
    const a = q.enqueue({ type: 'a' });
    const b = q.enqueue({ type: 'b' });
    const c = q.enqueue({ type: 'c', optional: true });
    q.start(a);
    q.complete(a);
    q.start(b);
    q.complete(b, 'skipped');
    q.start(c);
    q.fail(c);
    expect(computeVerdict(q.state)).toEqual({ status: 'done', failed: [c], blocked: [] });
  });

  it('is failed, naming the failed and the blocked tasks', () => {
    const q = new QueueBuilder();
    const a = q.enqueue({ type: 'a' });
    const b = q.enqueue({ type: 'b', dependsOn: [a] });
    q.start(a);
    q.fail(a);
    expect(computeVerdict(q.state)).toEqual({ status: 'failed', failed: [a], blocked: [b] });
  });

  it('is incomplete while anything is pending or running', () => {
    const q = new QueueBuilder();
    const a = q.enqueue({ type: 'a' });
    expect(computeVerdict(q.state)).toMatchObject({ status: 'incomplete', unfinished: [a] });
  });

  it('is failed when the run has no task at all: nothing was done, so it is not done', () => {
    const q = new QueueBuilder();
    expect(computeVerdict(q.state)).toEqual({ status: 'failed', failed: [], blocked: [] });
  });
});
