import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { drainQueue, RunQueue } from '../src/executor/index.js';
import { satisfies, TERMINAL_STATUSES, type Task } from '../src/queue/index.js';
import { functionAgent, MemoryStore, TEST_POLICY } from '../src/testing/index.js';

type Outcome = 'done' | 'skipped' | 'failed' | 'silent' | 'throw';

/** A random DAG: task i may depend on any earlier task; each attempt's outcome is drawn too. */
const dagArbitrary = fc
  .integer({ min: 1, max: 25 })
  .chain((size) =>
    fc.record({
      deps: fc.tuple(...Array.from({ length: size }, (_, i) => fc.uniqueArray(fc.nat({ max: Math.max(0, i - 1) }), { maxLength: i === 0 ? 0 : Math.min(i, 3) }))),
      optional: fc.array(fc.boolean(), { minLength: size, maxLength: size }),
      outcomes: fc.array(fc.constantFrom<Outcome>('done', 'done', 'done', 'skipped', 'failed', 'silent', 'throw'), { minLength: size * 3, maxLength: size * 3 }),
      concurrency: fc.integer({ min: 1, max: 4 }),
    }),
  );

describe('drain over random DAGs (fast-check)', () => {
  it('every task ends terminal, no task starts before its dependencies are satisfied, and the verdict matches', async () => {
    await fc.assert(
      fc.asyncProperty(dagArbitrary, async ({ deps, optional, outcomes, concurrency }) => {
        const store = new MemoryStore();
        await store.open();
        const queue = await RunQueue.start(store, { runId: 'p', installDir: '/app', detected: { framework: null, packageManager: null } }, { ...TEST_POLICY, sinkTypes: new Set() });
        const ids: string[] = [];
        for (let i = 0; i < deps.length; i += 1) {
          const result = await queue.enqueue({ type: `t${i}`, reason: 'prop', dependsOn: deps[i]!.map((d) => ids[d]!), optional: optional[i]! }, { kind: 'orchestrator' });
          if (!result.ok) throw new Error(result.message);
          ids.push(result.value.id);
        }
        let draw = 0;
        const violations: string[] = [];
        const agent = functionAgent(async (task: Task, context) => {
          for (const depId of task.dependsOn) {
            const dep = queue.state.tasks.get(depId)!;
            if (!satisfies(dep)) violations.push(`${task.id} started while ${depId} was ${dep.status}`);
          }
          await new Promise((resolve) => setImmediate(resolve));
          const outcome = outcomes[draw++ % outcomes.length]!;
          if (outcome === 'throw') throw new Error('agent crashed');
          if (outcome === 'silent') return;
          const result = await context.tools.complete_task({ status: outcome, handoff: { goal: 'g', did: 'd', forNextAgent: 'n' } });
          if (!result.ok) throw new Error(result.message);
        });
        const verdict = await drainQueue(queue, { agent, installDir: '/app', stateDir: '/tmp/unused', concurrency });
        expect(violations).toEqual([]);
        for (const task of queue.state.byPosition) expect(TERMINAL_STATUSES.has(task.status)).toBe(true);
        const requiredFailed = queue.state.byPosition.some((task) => task.status === 'failed' && !task.optional);
        expect(verdict.status).toBe(requiredFailed ? 'failed' : 'done');
        for (const task of queue.state.byPosition) expect(task.attempts).toBeLessThanOrEqual(task.maxAttempts);
        expect(queue.state.meta.status).toBe(verdict.status);
      }),
      { numRuns: 150 },
    );
  });
});
