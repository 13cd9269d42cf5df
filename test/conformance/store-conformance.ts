import { describe, expect, it } from 'vitest';
import { isDroverError } from '../../src/errors/index.js';
import { RunQueue } from '../../src/backend/local/run-queue.js';
import type { Store } from '../../src/store/index.js';
import { readyTasks } from '../../src/queue/index.js';
import { TEST_POLICY } from '../../src/testing/index.js';

/**
 * The contract every `Store` adapter must meet (the file store, the memory store, and the
 * PostgreSQL adapter to come). `location()` makes a fresh place to store a run; `storeAt(loc)`
 * opens a store on it, as a new process would after a restart.
 */
export function describeStoreConformance<L>(name: string, location: () => Promise<L> | L, storeAt: (loc: L) => Store): void {
  const run = { runId: 'run-conformance', installDir: '/app', detected: { framework: 'nextjs', packageManager: 'npm' } };
  const orchestrator = { kind: 'orchestrator' } as const;

  describe(`Store conformance: ${name}`, () => {
    it('opens an empty location as "no run yet"', async () => {
      const store = storeAt(await location());
      expect(await store.open()).toBeUndefined();
      await store.close();
    });

    it('recovers exactly the acknowledged state after a restart', async () => {
      const loc = await location();
      const first = storeAt(loc);
      await first.open();
      const queue = await RunQueue.start(first, run, TEST_POLICY);
      const a = await queue.enqueue({ type: 'install', reason: 'r', inputs: { sdk: 'posthog-node' } }, orchestrator);
      const b = await queue.enqueue({ type: 'init', reason: 'r' }, orchestrator);
      if (!a.ok || !b.ok) throw new Error('enqueue failed');
      const attempt = await queue.markStarted(a.value.id);
      await queue.complete({ kind: 'task', taskId: a.value.id, attempt }, 'done', { goal: 'g', did: 'd', forNextAgent: 'n' });
      await queue.markStarted(b.value.id);
      // No close(): the process "dies" here, with b running.
      const expected = JSON.parse(JSON.stringify(queue.state.byPosition));
      const second = storeAt(loc);
      await expect(second.open()).rejects.toSatisfy((error: unknown) => isDroverError(error) && error.code === 'state-locked');
      await first.close();
      const recovered = await second.open();
      expect(recovered).toBeDefined();
      expect(JSON.parse(JSON.stringify(recovered!.state.byPosition))).toEqual(expected);
      expect(recovered!.state.meta).toMatchObject({ runId: run.runId, installDir: run.installDir, detected: run.detected, seq: queue.state.meta.seq });
      expect(recovered!.state.handoffs.get(a.value.id)).toMatchObject({ taskId: a.value.id, status: 'done', forNextAgent: 'n' });
      expect(await second.readHandoff(a.value.id)).toMatchObject({ goal: 'g', did: 'd' });
      await second.close();
    });

    it('resumes: an interrupted running task goes back to pending and keeps its dependents waiting', async () => {
      const loc = await location();
      const first = storeAt(loc);
      await first.open();
      const queue = await RunQueue.start(first, run, TEST_POLICY);
      const a = await queue.enqueue({ type: 'a', reason: 'r' }, orchestrator);
      if (!a.ok) throw new Error('enqueue failed');
      const b = await queue.enqueue({ type: 'b', reason: 'r', dependsOn: [a.value.id] }, orchestrator);
      if (!b.ok) throw new Error('enqueue failed');
      await queue.markStarted(a.value.id);
      await first.close();
      const second = storeAt(loc);
      const stored = await second.open();
      const resumed = await RunQueue.resume(second, stored!.state, TEST_POLICY);
      expect(resumed.state.tasks.get(a.value.id)).toMatchObject({ status: 'pending', attempts: 0, error: { kind: 'interrupted' } });
      expect(readyTasks(resumed.state).map((task) => task.id)).toEqual([a.value.id]);
      await second.close(resumed.state);
      const third = storeAt(loc);
      const again = await third.open();
      expect(again!.state.tasks.get(a.value.id)?.status).toBe('pending');
      expect(again!.state.tasks.get(b.value.id)?.status).toBe('pending');
      await third.close();
    });

    it('a clean close then reopen gives the same state, including many transitions past a snapshot', async () => {
      const loc = await location();
      const first = storeAt(loc);
      await first.open();
      const queue = await RunQueue.start(first, run, { ...TEST_POLICY, limits: { ...TEST_POLICY.limits, maxTasks: 1000 } });
      for (let i = 0; i < 300; i += 1) {
        const result = await queue.enqueue({ type: 'work', inputs: { i }, reason: 'r' }, orchestrator);
        if (!result.ok) throw new Error(result.message);
        if (i % 2 === 0) {
          const attempt = await queue.markStarted(result.value.id);
          await queue.complete({ kind: 'task', taskId: result.value.id, attempt }, 'done', { goal: 'g', did: `did ${i}`, forNextAgent: 'n' });
        }
      }
      await first.close(queue.state);
      const second = storeAt(loc);
      const recovered = await second.open();
      expect(recovered!.state.meta.seq).toBe(queue.state.meta.seq);
      expect(JSON.parse(JSON.stringify(recovered!.state.byPosition))).toEqual(JSON.parse(JSON.stringify(queue.state.byPosition)));
      expect(recovered!.state.handoffs.size).toBe(150);
      expect(readyTasks(recovered!.state)).toHaveLength(150);
      await second.close();
    });

    it('archive moves the run aside so a fresh run starts empty', async () => {
      const loc = await location();
      const first = storeAt(loc);
      await first.open();
      const queue = await RunQueue.start(first, run, TEST_POLICY);
      await queue.enqueue({ type: 'a', reason: 'r' }, orchestrator);
      await first.close(queue.state);
      const second = storeAt(loc);
      expect(await second.open()).toBeDefined();
      expect(await second.archive()).toEqual(expect.any(String));
      const fresh = await RunQueue.start(second, { ...run, runId: 'run-2' }, TEST_POLICY);
      expect(fresh.state.meta.seq).toBe(1);
      await second.close(fresh.state);
      const third = storeAt(loc);
      const reopened = await third.open();
      expect(reopened!.state.meta.runId).toBe('run-2');
      expect(reopened!.state.tasks.size).toBe(0);
      await third.close();
    });
  });
}
