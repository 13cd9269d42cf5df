import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { AgentContext } from '../agents/agent-runtime.js';
import type { EnqueuePolicy, Task } from '../queue/index.js';
import { functionAgent, MemoryStore, memoryLocation, TEST_POLICY } from '../testing/index.js';
import { drainQueue, type DrainOptions } from './drain-queue.js';
import { RunQueue } from '../backend/local/run-queue.js';

const run = { runId: 'run-exec', installDir: '/app', detected: { framework: null, packageManager: null } };
const handoff = { goal: 'g', did: 'd', forNextAgent: 'n' };

async function queueWith(types: Array<{ type: string; dependsOn?: number[]; maxAttempts?: number }>, policy: EnqueuePolicy = TEST_POLICY, location = memoryLocation()) {
  const store = new MemoryStore(location);
  await store.open();
  const queue = await RunQueue.start(store, run, policy);
  const ids: string[] = [];
  for (const spec of types) {
    const result = await queue.enqueue({ type: spec.type, reason: 'test', dependsOn: (spec.dependsOn ?? []).map((i) => ids[i]!), maxAttempts: spec.maxAttempts }, { kind: 'orchestrator' });
    if (!result.ok) throw new Error(result.message);
    ids.push(result.value.id);
  }
  return { queue, ids, location };
}

const drain = (queue: RunQueue, agent: DrainOptions['agent'], extra: Partial<DrainOptions> = {}) => drainQueue(queue, { agent, installDir: '/app', stateDir: '/tmp/unused', abortGraceMs: 50, ...extra });
const completes = (status: 'done' | 'failed' | 'skipped' = 'done') => async (_task: Task, context: AgentContext) => {
  const result = await context.tools.complete_task({ status, handoff });
  if (!result.ok) throw new Error(result.message);
};

/** A promise and its resolve (Promise.withResolvers is Node 22+). */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('drainQueue', () => {
  it('never runs more than `concurrency` agents at once, and runs independent tasks in parallel', async () => {
    const { queue } = await queueWith(Array.from({ length: 6 }, (_, i) => ({ type: `t${i}` })));
    let live = 0;
    let peak = 0;
    let started = 0;
    // Each round of three holds until all three are running at once (a drain that ran fewer in
    // parallel would hang here and time out); more than three would raise the peak.
    const rounds = [0, 1].map(() => deferred());
    const agent = functionAgent(async (task, context) => {
      live += 1;
      peak = Math.max(peak, live);
      const round = rounds[Math.floor(started / 3)]!;
      started += 1;
      if (started % 3 === 0) round.resolve();
      await round.promise;
      live -= 1;
      await completes()(task, context);
    });
    expect((await drain(queue, agent, { concurrency: 3 })).status).toBe('done');
    expect(peak).toBe(3);
  });

  it('starts a dependent as soon as its dependency reports done, while that agent is still exiting', async () => {
    const { queue, ids } = await queueWith([{ type: 'first' }, { type: 'second', dependsOn: [0] }]);
    const order: string[] = [];
    const secondStarted = deferred();
    const agent = functionAgent(async (task, context) => {
      order.push(`start ${task.type}`);
      if (task.type === 'second') secondStarted.resolve();
      await completes()(task, context);
      // The first agent keeps exiting until its dependent has started (a drain that waited for
      // the exit would hang here and time out).
      if (task.type === 'first') await secondStarted.promise;
      order.push(`exit ${task.type}`);
    });
    await drain(queue, agent, { concurrency: 2 });
    expect(order).toEqual(['start first', 'start second', 'exit first', 'exit second']);
    expect(queue.state.tasks.get(ids[1]!)?.status).toBe('done');
  });

  it('retries an attempt that ended without complete_task, then fails it for good and blocks dependents', async () => {
    const { queue, ids } = await queueWith([{ type: 'flaky', maxAttempts: 2 }, { type: 'after', dependsOn: [0] }]);
    let calls = 0;
    const agent = functionAgent(async () => {
      calls += 1;
    });
    const verdict = await drain(queue, agent);
    expect(calls).toBe(2);
    expect(verdict).toEqual({ status: 'failed', failed: [ids[0]], blocked: [ids[1]] });
    expect(queue.state.tasks.get(ids[0]!)).toMatchObject({ status: 'failed', attempts: 2, error: { kind: 'no-report' } });
    expect(queue.state.tasks.get(ids[1]!)).toMatchObject({ status: 'blocked', error: { dependency: ids[0] } });
    expect(queue.state.meta.status).toBe('failed');
  });

  it('a self-reported failure is retried, and the retry can succeed', async () => {
    const { queue, ids } = await queueWith([{ type: 'x' }]);
    let attempt = 0;
    const agent = functionAgent(async (task, context) => {
      attempt += 1;
      await completes(attempt === 1 ? 'failed' : 'done')(task, context);
    });
    expect((await drain(queue, agent)).status).toBe('done');
    expect(queue.state.tasks.get(ids[0]!)).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('kills an attempt that passes --task-timeout and records a timeout', async () => {
    const { queue, ids } = await queueWith([{ type: 'slow', maxAttempts: 1 }]);
    const agent = functionAgent(async (_task, _context, signal) => {
      await sleep(10_000, undefined, { signal });
    });
    const verdict = await drain(queue, agent, { taskTimeoutMs: 50 });
    expect(verdict.status).toBe('failed');
    expect(queue.state.tasks.get(ids[0]!)?.error).toMatchObject({ kind: 'timeout' });
  });

  it('a task timeout past what a Node timer honours (600h) does not fire early', async () => {
    const { queue, ids } = await queueWith([{ type: 'steady', maxAttempts: 1 }]);
    const agent = functionAgent(async (task, context, signal) => {
      // Timers fire in expiry order: an overflowed timeout (clamped to 1 ms) would abort this sleep.
      await sleep(20, undefined, { signal });
      await completes()(task, context);
    });
    const verdict = await drain(queue, agent, { taskTimeoutMs: 600 * 3_600_000 });
    expect(verdict.status).toBe('done');
    expect(queue.state.tasks.get(ids[0]!)).toMatchObject({ status: 'done', attempts: 1 });
  });

  it('moves on from an agent that ignores the abort, after the grace period', async () => {
    const { queue, ids } = await queueWith([{ type: 'stuck', maxAttempts: 1 }]);
    const agent = functionAgent(() => new Promise<void>(() => {}));
    const verdict = await drain(queue, agent, { taskTimeoutMs: 20, abortGraceMs: 20 });
    expect(verdict.status).toBe('failed');
    expect(queue.state.tasks.get(ids[0]!)?.error?.kind).toBe('timeout');
  });

  it('complete_task twice: the second call is refused and logged, the first result stands', async () => {
    const { queue, ids } = await queueWith([{ type: 'x' }]);
    const replies: unknown[] = [];
    const events: string[] = [];
    queue.subscribe((event) => events.push(event.event));
    const agent = functionAgent(async (_task, context) => {
      replies.push(await context.tools.complete_task({ status: 'done', handoff }));
      replies.push(await context.tools.complete_task({ status: 'failed', handoff }));
    });
    expect((await drain(queue, agent)).status).toBe('done');
    expect(replies[1]).toMatchObject({ ok: false, guard: 'already-completed' });
    expect(queue.state.tasks.get(ids[0]!)?.status).toBe('done');
    expect(events).toContain('guard-tripped');
  });

  it('two complete_task calls in parallel: exactly one is recorded, and dependents wait for the rest of the graph', async () => {
    const { queue, ids } = await queueWith([{ type: 'a' }, { type: 'b' }, { type: 'c', dependsOn: [0, 1] }]);
    const replies: unknown[] = [];
    const violations: string[] = [];
    const agent = functionAgent(async (task, context) => {
      for (const depId of task.dependsOn) if (queue.state.tasks.get(depId)?.status !== 'done') violations.push(`${task.id} started before ${depId}`);
      if (task.type === 'a') {
        replies.push(...(await Promise.all([context.tools.complete_task({ status: 'done', handoff }), context.tools.complete_task({ status: 'done', handoff })])));
        return;
      }
      await sleep(20);
      await completes()(task, context);
    });
    expect((await drain(queue, agent, { concurrency: 3 })).status).toBe('done');
    expect(violations).toEqual([]);
    expect(replies.filter((reply) => (reply as { ok: boolean }).ok)).toHaveLength(1);
    expect(queue.state.unmet.get(ids[2]!)).toBe(0);
    expect(queue.state.byPosition.map((task) => task.status)).toEqual(['done', 'done', 'done']);
  });

  it('a runaway agent making thousands of refused calls: each refusal logged is small, the log stops growing at the budget, and the attempt ends failed as a runaway', async () => {
    const { queue, ids, location } = await queueWith([{ type: 'flood', maxAttempts: 1 }]);
    const unknownIds = Array.from({ length: 50 }, (_, i) => `no-such-task-${i}-${'x'.repeat(80)}`);
    let calls = 0;
    let lastGuard = '';
    const agent = functionAgent(async (_task, context, signal) => {
      for (let i = 0; i < 3000 && !signal.aborted; i += 1) {
        calls += 1;
        const result = await context.tools.enqueue_task({ type: 'more', reason: 'again', dependsOn: unknownIds });
        if (!result.ok) lastGuard = result.guard;
      }
    });
    const verdict = await drain(queue, agent);
    expect(verdict.status).toBe('failed');
    expect(calls).toBe(21);
    expect(lastGuard).toBe('refusal-budget');
    const tripped = location.events.filter((event) => event.event === 'guard-tripped');
    expect(tripped).toHaveLength(21);
    expect(tripped.at(-1)).toMatchObject({ guard: 'refusal-budget', taskId: ids[0], attempt: 1 });
    for (const event of tripped) expect(JSON.stringify(event).length).toBeLessThan(1000);
    expect(queue.state.tasks.get(ids[0]!)).toMatchObject({ status: 'failed', error: { kind: 'runaway', message: expect.stringContaining('runaway agent') as unknown } });
  });

  it('calls past the budget are refused without being logged, even when the agent ignores the stop', async () => {
    const policy = { ...TEST_POLICY, limits: { ...TEST_POLICY.limits, maxRefusalsPerAttempt: 3 } };
    const { queue, location } = await queueWith([{ type: 'flood', maxAttempts: 1 }], policy);
    const guards: string[] = [];
    const agent = functionAgent(async (_task, context) => {
      for (let i = 0; i < 10; i += 1) {
        const result = await context.tools.enqueue_task({ type: 'more', reason: 'again', dependsOn: ['nope'] });
        if (!result.ok) guards.push(result.guard);
      }
    });
    await drain(queue, agent);
    expect(guards).toEqual(['unknown-dependency', 'unknown-dependency', 'unknown-dependency', ...Array<string>(7).fill('refusal-budget')]);
    expect(location.events.filter((event) => event.event === 'guard-tripped')).toHaveLength(4);
  });

  it('a runaway agent that enqueues in a loop is stopped by the guards and the run still finishes', async () => {
    const policy = { ...TEST_POLICY, limits: { maxTasks: 50, maxDepth: 3, maxChildren: 5 } };
    const { queue } = await queueWith([{ type: 'root' }], policy);
    const refusals = new Set<string>();
    const agent = functionAgent(async (task, context) => {
      for (let i = 0; i < 100; i += 1) {
        const result = await context.tools.enqueue_task({ type: 'spawn', inputs: { parent: task.id, i }, reason: 'more!' });
        if (!result.ok) {
          refusals.add(result.guard);
          break;
        }
      }
      await completes()(task, context);
    });
    const verdict = await drain(queue, agent, { concurrency: 4 });
    expect(verdict.status).toBe('done');
    expect(queue.state.tasks.size).toBeLessThanOrEqual(50);
    expect([...refusals].sort()).toEqual(expect.arrayContaining(['max-children']));
    expect(Math.max(...[...queue.state.tasks.values()].map((task) => task.depth))).toBe(3);
  });

  it('on interruption: stops starting, aborts running agents, gives the attempt back, and ends "interrupted"', async () => {
    const { queue, ids, location } = await queueWith([{ type: 'a' }, { type: 'b' }]);
    const controller = new AbortController();
    // The interruption comes once an agent is running (an event, not a timer); the agent would
    // work for 10 s unless the drain aborts it.
    let agentRunning!: () => void;
    const running = new Promise<void>((resolve) => (agentRunning = resolve));
    const aborted: boolean[] = [];
    const agent = functionAgent(async (_task, _context, signal) => {
      agentRunning();
      await sleep(10_000, undefined, { signal }).catch((error: unknown) => {
        aborted.push(signal.aborted);
        throw error;
      });
    });
    const draining = drain(queue, agent, { signal: controller.signal });
    await running;
    controller.abort();
    const verdict = await draining;
    expect(aborted).toEqual([true]);
    expect(verdict.status).toBe('interrupted');
    expect(queue.state.tasks.get(ids[0]!)).toMatchObject({ status: 'pending', attempts: 0, error: { kind: 'interrupted' } });
    expect(queue.state.tasks.get(ids[1]!)).toMatchObject({ status: 'pending', attempts: 0 });
    await queue.close();
    const store = new MemoryStore(location);
    const resumed = await RunQueue.resume(store, (await store.open())!.state, TEST_POLICY);
    expect((await drain(resumed, functionAgent(completes()))).status).toBe('done');
  });

  it('the start backstop fails what is left instead of looping forever', async () => {
    const { queue, ids } = await queueWith([{ type: 'x', maxAttempts: 100 }]);
    let calls = 0;
    const verdict = await drain(queue, functionAgent(async () => void (calls += 1)), { maxStartsPerTask: 3 });
    expect(calls).toBe(3);
    expect(verdict.status).toBe('failed');
    expect(queue.state.tasks.get(ids[0]!)?.error?.kind).toBe('backstop');
  });

  it('gives each agent the handoffs of all its ancestors, roots first', async () => {
    const { queue } = await queueWith([{ type: 'root' }, { type: 'mid', dependsOn: [0] }, { type: 'leaf', dependsOn: [1] }]);
    const seen: Record<string, string[]> = {};
    const agent = functionAgent(async (task, context) => {
      seen[task.type] = context.prompt === '' ? [] : context.prompt.split(',');
      await context.tools.complete_task({ status: 'done', handoff: { goal: 'g', did: `${task.type} did`, forNextAgent: 'n' } });
    });
    await drain(queue, agent, { prepare: async (_task, _attempt, upstream) => ({ prompt: upstream.map((u) => u.handoff.did).join(',') }) });
    expect(seen).toEqual({ root: [], mid: ['root did'], leaf: ['root did', 'mid did'] });
  });

  it('a tool the prompt disallows is refused with a message, and recorded', async () => {
    const { queue } = await queueWith([{ type: 'x' }]);
    let refusal: unknown;
    const agent = functionAgent(async (task, context) => {
      refusal = await context.tools.enqueue_task({ type: 'y', reason: 'r' });
      await completes()(task, context);
    });
    await drain(queue, agent, { prepare: async () => ({ prompt: '', allowedTools: ['complete_task', 'read_handoffs'] }) });
    expect(refusal).toMatchObject({ ok: false, guard: 'not-allowed', message: expect.stringContaining('may not call enqueue_task') });
    expect(queue.state.tasks.size).toBe(1);
  });
});

describe('drainQueue with the dashboard\'s actions (drover run --dashboard --allow-actions)', () => {
  const actor = { by: 'dashboard', address: '127.0.0.1' } as const;

  it('a retry accepted while the run records its verdict reopens it, and the drain runs the task again before it returns', async () => {
    // a fails for good; the retry lands while run-finished is being made durable (an HTTP request during that write).
    const { queue, ids } = await queueWith([{ type: 'a', maxAttempts: 1 }]);
    let retried: Promise<unknown> | undefined;
    queue.onStaged((events) => {
      if (retried === undefined && events.some((event) => event.event === 'run-finished')) retried = queue.retryTask(ids[0]!, actor);
    });
    let starts = 0;
    const verdict = await drain(queue, functionAgent(async (task, context) => {
      starts += 1;
      await completes(starts === 1 ? 'failed' : 'done')(task, context);
    }));
    expect(await retried).toEqual({ ok: true, reopened: true });
    expect(starts).toBe(2);
    expect(verdict.status).toBe('done');
    expect(queue.state.meta.status).toBe('done');
  });

  it('a task retried while its failed attempt\'s agent is still exiting starts again only once that agent has exited (never twice at once)', async () => {
    // a (one attempt) reports failed and keeps running (a real agent CLI exits after its report); b keeps the run live.
    const { queue, ids } = await queueWith([{ type: 'a', maxAttempts: 1 }, { type: 'b' }]);
    const order: string[] = [];
    queue.subscribe((event) => {
      if (event.event === 'task-started') order.push(`started ${event.taskId}#${event.attempt}`);
    });
    let releaseB!: () => void;
    const bWaits = new Promise<void>((resolve) => (releaseB = resolve));
    let cStarted!: () => void;
    const cRuns = new Promise<void>((resolve) => (cStarted = resolve));
    const agent = functionAgent(async (task, context) => {
      if (task.type === 'b') {
        await bWaits;
        return completes()(task, context);
      }
      if (task.type === 'c') {
        cStarted();
        return completes()(task, context);
      }
      if (context.attempt === 1) {
        await completes('failed')(task, context);
        // The dashboard's retry, then new work: the worker's next claim (the one that starts c) comes after the retry,
        // so it would have taken a's attempt 2 first if the old attempt did not hold it back.
        expect(await queue.retryTask(ids[0]!, actor)).toEqual({ ok: true, reopened: false });
        expect((await queue.enqueue({ type: 'c', reason: 'test' }, { kind: 'orchestrator' })).ok).toBe(true);
        await cRuns;
        order.push(`exited ${task.id}#1`);
        return;
      }
      await completes()(task, context);
      releaseB();
    });
    const verdict = await drain(queue, agent, { concurrency: 3 });
    expect(verdict.status).toBe('done');
    expect(order.indexOf(`started ${ids[0]}#2`)).toBeGreaterThan(order.indexOf(`exited ${ids[0]}#1`));
  });

  it('nothing starts once a cancel is requested: a completion racing the cancel does not start its dependent', async () => {
    const { queue, ids } = await queueWith([{ type: 'a' }, { type: 'b', dependsOn: [0] }]);
    // What runSession does: an observed run-cancel-requested aborts the drain's signal.
    const cancel = new AbortController();
    const events: string[] = [];
    queue.subscribe((event) => {
      if (event.event === 'run-cancel-requested') cancel.abort();
      events.push(event.event === 'task-started' ? `task-started ${event.taskId}` : event.event);
    });
    const agent = functionAgent(async (_task, context) => {
      // The agent's report and the person's cancel arrive together.
      await Promise.all([context.tools.complete_task({ status: 'done', handoff }), queue.requestCancel(actor, false)]);
    });
    const verdict = await drain(queue, agent, { signal: cancel.signal, concurrency: 2 });
    expect(verdict.status).toBe('interrupted');
    expect(queue.state.meta.status).toBe('cancelled');
    expect(events.filter((event) => event.startsWith('task-started'))).toEqual([`task-started ${ids[0]}`]);
  });
});
