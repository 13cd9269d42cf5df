import { describe, expect, it } from 'vitest';
import { QueueBuilder } from '../testing/queue-builder.js';
import { decideCancel, stageCancel, stoppedVerdict } from './decide-cancel.js';
import { readyTasks } from './take-ready.js';

const dashboard = { by: 'dashboard', address: '127.0.0.1' } as const;

describe('cancelling a run', () => {
  it('records who asked, gives the running attempts back and ends the run as cancelled', () => {
    const q = new QueueBuilder();
    const a = q.enqueue({ type: 'a' });
    const b = q.enqueue({ type: 'b' });
    q.enqueue({ type: 'c', dependsOn: [a] });
    q.start(a);
    q.start(b);
    q.complete(b);
    const before = q.log.length;
    expect(decideCancel(q.state)).toEqual({ ok: true });
    stageCancel(q.state, dashboard, (draft) => q.emit(draft));
    expect(q.log.slice(before).map((event) => event.event)).toEqual(['run-cancel-requested', 'task-requeued', 'run-finished']);
    expect(q.log.at(-1)).toMatchObject({ event: 'run-finished', verdict: 'cancelled' });
    expect(q.state.meta).toMatchObject({ status: 'cancelled', cancel: { by: 'dashboard', address: '127.0.0.1' } });
    expect(q.state.tasks.get(a)).toMatchObject({ status: 'pending', attempts: 0, error: { kind: 'interrupted' } });
    expect(decideCancel(q.state)).toMatchObject({ ok: false, message: expect.stringContaining('is not running (cancelled)') });
  });

  it('asked once: a second request is refused, and an early stop of that run is recorded as cancelled', () => {
    const q = new QueueBuilder();
    q.enqueue({ type: 'a' });
    expect(stoppedVerdict(q.state)).toBe('interrupted');
    q.emit({ event: 'run-cancel-requested', ...dashboard });
    expect(decideCancel(q.state)).toMatchObject({ ok: false, message: expect.stringContaining('already being cancelled') });
    expect(stoppedVerdict(q.state)).toBe('cancelled');
    // A resume clears the request.
    q.emit({ event: 'run-finished', verdict: 'cancelled', failed: [], blocked: [] });
    q.emit({ event: 'run-resumed', runId: 'run-test', interrupted: [] });
    expect(q.state.meta.cancel).toBeUndefined();
    expect(readyTasks(q.state)).toHaveLength(1);
  });
});
