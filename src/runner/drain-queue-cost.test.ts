import { afterEach, describe, expect, it, vi } from 'vitest';
import { LocalBackend } from '../backend/local/local-backend.js';
import { RunQueue } from '../backend/local/run-queue.js';
import { functionAgent, MemoryStore, memoryLocation, TEST_POLICY } from '../testing/index.js';
import { drainQueue } from './drain-queue.js';

/**
 * Issue 12: nothing a drain does per claim or per event may cost O(tasks). Counted, not timed:
 * the whole-run reads (`readRun`, a copy of every task) and the ready-heap pops the claims make,
 * for a run four times larger.
 */

const run = { runId: 'run-cost', installDir: '/app', detected: { framework: null, packageManager: null } };
const handoff = { goal: 'g', did: 'd', forNextAgent: 'n' };

/** A layered DAG like bench:queue's: layers of `width`, each task depending on one or two tasks of the layer before. */
async function layeredRun(tasks: number, width: number): Promise<RunQueue> {
  const store = new MemoryStore(memoryLocation());
  await store.open();
  const queue = await RunQueue.start(store, run, { ...TEST_POLICY, limits: { ...TEST_POLICY.limits, maxTasks: tasks, maxChildren: tasks } });
  await queue.enqueueBatch((add) => {
    let previous: string[] = [];
    let layer: string[] = [];
    for (let i = 0; i < tasks; i += 1) {
      const dependsOn = previous.length === 0 ? [] : [...new Set([previous[i % previous.length]!, previous[(i * 7 + 3) % previous.length]!])];
      layer.push(add({ type: 'work', inputs: { i }, reason: 'cost', dependsOn }));
      if (layer.length === width) {
        previous = layer;
        layer = [];
      }
    }
  });
  await queue.markSeeded();
  return queue;
}

async function drainCounting(tasks: number): Promise<{ readRuns: number; pops: number }> {
  const queue = await layeredRun(tasks, 5);
  const readRun = vi.spyOn(LocalBackend.prototype, 'readRun');
  const heap = queue.state.ready;
  const pop = heap.pop.bind(heap);
  let pops = 0;
  heap.pop = () => {
    pops += 1;
    return pop();
  };
  const agent = functionAgent(async (_task, context) => {
    const result = await context.tools.complete_task({ status: 'done', handoff });
    if (!result.ok) throw new Error(result.message);
  });
  const verdict = await drainQueue(queue, { agent, installDir: '/app', stateDir: '/tmp/unused', concurrency: 4 });
  expect(verdict.status).toBe('done');
  const readRuns = readRun.mock.calls.length;
  readRun.mockRestore();
  return { readRuns, pops };
}

describe('drain cost per claim and per event', () => {
  afterEach(() => vi.restoreAllMocks());

  it('reads the whole run only to end it, however many tasks it drains', async () => {
    const small = await drainCounting(40);
    const large = await drainCounting(160);
    // Once to find the run done, once for its final snapshot: not per claim, not per event.
    expect(small.readRuns).toBeLessThanOrEqual(2);
    expect(large.readRuns).toBe(small.readRuns);
  });

  it('claims without scanning the ready tasks: heap pops stay linear in the tasks drained', async () => {
    for (const tasks of [40, 160]) {
      const { pops } = await drainCounting(tasks);
      // Each task is popped once when claimed, plus at most one empty pop per claim (at most one claim per task and a
      // few more): O(tasks). A claim that looked at every ready task would make O(tasks × width) pops.
      expect(pops).toBeLessThanOrEqual(2 * tasks + 8);
    }
  });
});
