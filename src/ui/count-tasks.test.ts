import { describe, expect, it } from 'vitest';
import { RunQueue } from '../backend/local/run-queue.js';
import { MemoryStore } from '../store/memory/memory-store.js';
import { TEST_POLICY } from '../testing/queue-builder.js';
import { countTasks, TaskCounter } from './count-tasks.js';

const run = { runId: 'run-counts', installDir: '/app', detected: { framework: null, packageManager: null } };
const handoff = { goal: 'g', did: 'd', forNextAgent: 'n' };

describe('TaskCounter', () => {
  it('follows the queue event by event: after every event it agrees with counting the whole queue', async () => {
    const store = new MemoryStore();
    await store.open();
    const queue = new RunQueue(store, (await import('../queue/queue-state.js')).emptyQueueState(), TEST_POLICY);
    const counter = new TaskCounter();
    counter.reset(queue.state.byPosition);
    const seen: string[] = [];
    queue.subscribe((event, state) => {
      counter.apply(event);
      seen.push(event.event);
      // Listeners are told once a whole commit is durable: compare at the commit's last event.
      if (state.meta.seq === event.seq) expect(counter.counts()).toEqual(countTasks(state.byPosition));
    });
    await queue.begin(run);
    const [a, b] = await queue.enqueueBatch((add) => {
      const first = add({ type: 'a', reason: 'r', maxAttempts: 2 });
      const second = add({ type: 'b', reason: 'r', dependsOn: [first], maxAttempts: 1 });
      add({ type: 'c', reason: 'r', dependsOn: [second] });
      return [first, second];
    });
    const first = await queue.markStarted(a!);
    await queue.finishAttempt(a!, first, { kind: 'threw', message: 'boom' }); // requeued
    const second = await queue.markStarted(a!);
    await queue.complete({ kind: 'task', taskId: a!, attempt: second }, 'done', handoff);
    const third = await queue.markStarted(b!);
    await queue.complete({ kind: 'task', taskId: b!, attempt: third }, 'failed', handoff); // fails, blocks c in the same commit
    expect(seen).toContain('task-blocked');
    expect(counter.counts()).toMatchObject({ total: 3, done: 1, failed: 1, blocked: 1, finished: 3, pending: 0, running: 0 });
  });
});
