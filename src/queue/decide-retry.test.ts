import { describe, expect, it } from 'vitest';
import { QueueBuilder } from '../testing/queue-builder.js';
import { decideRetry } from './decide-retry.js';
import { readyTasks } from './take-ready.js';
import { restoreQueueState, toSnapshot } from './snapshot.js';
import { computeVerdict } from './verdict.js';

const dashboard = { by: 'dashboard', address: '127.0.0.1' } as const;

function retry(q: QueueBuilder, taskId: string, budget = 2) {
  const decision = decideRetry(q.state, taskId, budget);
  if (!decision.ok) throw new Error(decision.message);
  return q.emit({ ...decision.draft, ...dashboard });
}

/** a fails for good (two attempts), b waits on a, c on b: both blocked. */
function failedChain() {
  const q = new QueueBuilder();
  const a = q.enqueue({ type: 'a' });
  const b = q.enqueue({ type: 'b', dependsOn: [a] });
  const c = q.enqueue({ type: 'c', dependsOn: [b] });
  q.start(a);
  q.requeue(a);
  q.start(a);
  q.fail(a);
  return { q, a, b, c };
}

describe('task-retried', () => {
  it('puts a failed task and everything its failure blocked back to pending, with a fresh budget and the attempt count going on', () => {
    const { q, a, b, c } = failedChain();
    expect([b, c].map((id) => q.state.tasks.get(id)!.status)).toEqual(['blocked', 'blocked']);
    const event = retry(q, a, 3);
    expect(event).toMatchObject({ event: 'task-retried', taskId: a, unblocked: [b, c], maxAttempts: 5, reopened: false, by: 'dashboard', address: '127.0.0.1' });
    expect(q.state.tasks.get(a)).toMatchObject({ status: 'pending', attempts: 2, maxAttempts: 5 });
    expect(q.state.tasks.get(a)!.error).toBeUndefined();
    expect([b, c].map((id) => q.state.tasks.get(id)!.status)).toEqual(['pending', 'pending']);
    expect(q.state.tasks.get(b)!.error).toBeUndefined();
    // Only the retried task is ready: its dependents still wait for it.
    expect(readyTasks(q.state).map((task) => task.id)).toEqual([a]);
    q.start(a);
    expect(q.state.tasks.get(a)!.attempts).toBe(3);
    q.complete(a);
    expect(readyTasks(q.state).map((task) => task.id)).toEqual([b]);
  });

  it('reopens a finished run, and the replayed log rebuilds the same state', () => {
    const { q, a } = failedChain();
    const verdict = computeVerdict(q.state);
    q.emit({ event: 'run-finished', verdict: 'failed', failed: verdict.failed, blocked: verdict.blocked });
    expect(q.state.meta.status).toBe('failed');
    expect(retry(q, a)).toMatchObject({ reopened: true });
    expect(q.state.meta.status).toBe('running');
    expect(computeVerdict(q.state).status).toBe('incomplete');
    const replayed = new QueueBuilder();
    for (const event of q.log.slice(1)) replayed.emit(event);
    expect(toSnapshot(replayed.state).tasks).toEqual(toSnapshot(q.state).tasks);
    expect(readyTasks(restoreQueueState(toSnapshot(q.state))).map((task) => task.id)).toEqual([a]);
  });

  it('leaves blocked a task that another failure still dooms', () => {
    const q = new QueueBuilder();
    const a = q.enqueue({ type: 'a' });
    const other = q.enqueue({ type: 'other' });
    const both = q.enqueue({ type: 'both', dependsOn: [a, other] });
    const onlyA = q.enqueue({ type: 'only-a', dependsOn: [a] });
    q.start(other);
    q.fail(other);
    q.start(a);
    q.fail(a);
    expect(retry(q, a)).toMatchObject({ unblocked: [onlyA] });
    expect(q.state.tasks.get(both)!.status).toBe('blocked');
    expect(q.state.tasks.get(onlyA)!.status).toBe('pending');
  });

  it('makes the pending dependents of a retried optional task wait for it again', () => {
    const q = new QueueBuilder();
    const optional = q.enqueue({ type: 'warehouse', optional: true });
    const after = q.enqueue({ type: 'x', dependsOn: [optional] });
    q.start(optional);
    q.fail(optional);
    expect(readyTasks(q.state).map((task) => task.id)).toEqual([after]);
    retry(q, optional);
    expect(readyTasks(q.state).map((task) => task.id)).toEqual([optional]);
  });

  it('refuses anything but a failed task, an unknown task, and a run being cancelled', () => {
    const { q, a, b } = failedChain();
    expect(decideRetry(q.state, b)).toEqual({ ok: false, message: `task ${b} is blocked: only a failed task can be retried` });
    expect(decideRetry(q.state, 'nope')).toMatchObject({ ok: false, message: expect.stringContaining('has no task nope') });
    q.emit({ event: 'run-cancel-requested', ...dashboard });
    expect(decideRetry(q.state, a)).toMatchObject({ ok: false, message: expect.stringContaining('is being cancelled') });
  });
});
