import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RunQueue } from '../src/backend/local/run-queue.js';
import { drainQueue } from '../src/runner/drain-queue.js';
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

/**
 * Runs with a sink (`report`, which waits for everything), where running agents enqueue
 * follow-ups whose dependsOn is drawn from every task in the queue — sinks, their ancestors and
 * whatever waits for them included. Whatever the agents ask, the graph stays acyclic and the
 * run always finishes.
 */
const sinkRunArbitrary = fc.record({
  seedSize: fc.integer({ min: 1, max: 6 }),
  secondSink: fc.boolean(),
  followUps: fc.array(fc.record({ count: fc.integer({ min: 0, max: 2 }), picks: fc.array(fc.nat(), { maxLength: 3 }) }), { minLength: 40, maxLength: 40 }),
  concurrency: fc.integer({ min: 1, max: 3 }),
});

function isAcyclic(tasks: Iterable<Task>): boolean {
  const byId = new Map([...tasks].map((task) => [task.id, task]));
  const state = new Map<string, 'open' | 'closed'>();
  const visit = (id: string): boolean => {
    const mark = state.get(id);
    if (mark === 'closed') return true;
    if (mark === 'open') return false;
    state.set(id, 'open');
    for (const dep of byId.get(id)?.dependsOn ?? []) if (!visit(dep)) return false;
    state.set(id, 'closed');
    return true;
  };
  return [...byId.keys()].every(visit);
}

describe('enqueues that target sinks (fast-check)', () => {
  it('no enqueue can make a sink wait for itself: the graph stays acyclic and every run ends with every task terminal', async () => {
    await fc.assert(
      fc.asyncProperty(sinkRunArbitrary, async ({ seedSize, secondSink, followUps, concurrency }) => {
        const store = new MemoryStore();
        await store.open();
        const policy = { ...TEST_POLICY, sinkTypes: new Set(['report', 'summary']) };
        const queue = await RunQueue.start(store, { runId: 'p', installDir: '/app', detected: { framework: null, packageManager: null } }, policy);
        const seeded: string[] = [];
        for (let i = 0; i < seedSize; i += 1) {
          const result = await queue.enqueue({ type: `seed${i}`, reason: 'prop', dependsOn: seeded.slice(-1) }, { kind: 'orchestrator' });
          if (!result.ok) throw new Error(result.message);
          seeded.push(result.value.id);
        }
        const report = await queue.enqueue({ type: 'report', reason: 'prop', dependsOn: seeded }, { kind: 'orchestrator' });
        if (!report.ok) throw new Error(report.message);
        if (secondSink) {
          const summary = await queue.enqueue({ type: 'summary', reason: 'prop', dependsOn: [report.value.id] }, { kind: 'orchestrator' });
          if (!summary.ok) throw new Error(summary.message);
        }
        let draw = 0;
        const agent = functionAgent(async (_task: Task, context) => {
          const plan = followUps[draw++ % followUps.length]!;
          for (let n = 0; n < plan.count; n += 1) {
            const ids = queue.state.byPosition.map((t) => t.id);
            const dependsOn = plan.picks.map((pick) => ids[pick % ids.length]!);
            const namesSinkSide = dependsOn.some((id) => queue.state.sinks.has(id));
            const result = await context.tools.enqueue_task({ type: `f${draw}x${n}`, reason: 'prop', dependsOn });
            if (namesSinkSide) {
              expect(result.ok).toBe(false);
            }
            if (!result.ok) expect(result.guard).not.toBe('invalid-input');
          }
          const done = await context.tools.complete_task({ status: 'done', handoff: { goal: 'g', did: 'd', forNextAgent: 'n' } });
          if (!done.ok) throw new Error(done.message);
        });
        const verdict = await drainQueue(queue, { agent, installDir: '/app', stateDir: '/tmp/unused', concurrency });
        expect(isAcyclic(queue.state.byPosition)).toBe(true);
        for (const task of queue.state.byPosition) expect(TERMINAL_STATUSES.has(task.status)).toBe(true);
        expect(verdict.status).toBe('done');
        expect(queue.state.meta.status).toBe('done');
      }),
      { numRuns: 150 },
    );
  });
});
