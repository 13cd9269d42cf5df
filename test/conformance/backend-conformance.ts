import { describe, expect, it } from 'vitest';
import type { Backend, ClaimedAttempt } from '../../src/backend/index.js';
import { isDroverError } from '../../src/errors/index.js';
import type { QueueEvent } from '../../src/queue/index.js';

/**
 * The contract of the backend port, run against every adapter (local over memory, local over
 * files, PostgreSQL). `open()` gives a fresh, empty place; `peer(first)`, when the adapter has
 * one, a second handle on the same place (another process, another machine); without it the
 * same handle serves both workers. Leases in these tests are short and reapers fast, so lease
 * expiry is observed by waiting for its event, never by sleeping.
 */
export interface BackendHarness {
  open(): Promise<Backend>;
  peer?(first: Backend): Promise<Backend>;
  dispose(backend: Backend): Promise<void>;
}

const run = { runId: 'run-1', installDir: '/app', detected: { framework: 'nextjs', packageManager: 'npm' } };
const orchestrator = { kind: 'orchestrator' } as const;
const handoff = (did: string) => ({ goal: 'g', did, forNextAgent: 'n' });
const LONG = 60_000;

export function describeBackendConformance(name: string, harness: BackendHarness): void {
  async function withBackend(test: (backend: Backend) => Promise<void>): Promise<void> {
    const backend = await harness.open();
    try {
      await test(backend);
    } finally {
      await harness.dispose(backend);
    }
  }

  async function enqueue(backend: Backend, type: string, dependsOn: string[] = [], extra: Record<string, unknown> = {}): Promise<string> {
    const outcome = await backend.enqueue(run.runId, { type, reason: 'r', dependsOn, ...extra }, orchestrator);
    if (!outcome.ok) throw new Error(outcome.message);
    return outcome.value.id;
  }

  async function firstEvent(backend: Backend, after: number, match: (event: QueueEvent) => boolean): Promise<QueueEvent> {
    const stop = new AbortController();
    try {
      for await (const event of backend.watchEvents(run.runId, after, stop.signal)) if (match(event)) return event;
    } finally {
      stop.abort();
    }
    throw new Error('the event stream ended');
  }

  describe(`Backend conformance: ${name}`, () => {
    it('runs a DAG: claims only ready tasks, in enqueue order, and a completion releases dependents', async () => {
      await withBackend(async (backend) => {
        await backend.createRun(run);
        const a = await enqueue(backend, 'a');
        const b = await enqueue(backend, 'b', [a]);
        const c = await enqueue(backend, 'c');
        await backend.markSeeded(run.runId);
        const first = await backend.claim({ worker: 'w1', max: 5, leaseMs: LONG });
        expect(first.map((claimed) => [claimed.taskId, claimed.attempt, claimed.task.status])).toEqual([
          [a, 1, 'running'],
          [c, 1, 'running'],
        ]);
        expect(await backend.claim({ worker: 'w1', max: 5, leaseMs: LONG })).toEqual([]);
        expect(await backend.complete(first[0]!, 'done', handoff('did a'))).toEqual({ ok: true, value: { status: 'done' } });
        expect(await backend.finishAttempt(first[0]!, { kind: 'returned' })).toBe('applied');
        const second = await backend.claim({ worker: 'w2', max: 5, leaseMs: LONG });
        expect(second.map((claimed) => claimed.taskId)).toEqual([b]);
        const ref = second[0]!;
        expect(await backend.readHandoffs(run.runId, {}, { kind: 'task', ...ref })).toMatchObject([{ taskId: a, did: 'did a', status: 'done' }]);
        const snapshot = await backend.readRun(run.runId);
        expect(snapshot).toMatchObject({ version: 1, runId: run.runId, installDir: '/app', status: 'running', seeded: true });
        expect(snapshot!.tasks.map((task) => [task.id, task.status, task.attempts])).toEqual([
          [a, 'done', 1],
          [b, 'running', 1],
          [c, 'running', 1],
        ]);
        const events = await backend.readEvents(run.runId, 0);
        expect(events.map((event) => event.seq)).toEqual(events.map((_, i) => i + 1));
        expect(events.at(-1)!.seq).toBe(snapshot!.seq);
        expect(events[0]).toMatchObject({ event: 'run-started', runId: run.runId });
        expect(await backend.readRun('no-such-run')).toBeUndefined();
      });
    });

    it('refuses what the pure guards refuse and records each refusal', async () => {
      await withBackend(async (backend) => {
        await backend.createRun(run);
        const a = await enqueue(backend, 'a', [], { inputs: { x: 1 } });
        const twin = await backend.enqueue(run.runId, { type: 'a', inputs: { x: 1 } }, orchestrator);
        expect(twin).toMatchObject({ ok: false, guard: 'duplicate' });
        expect(await backend.enqueue(run.runId, { type: 'b', dependsOn: ['nope-9'] }, orchestrator)).toMatchObject({ ok: false, guard: 'unknown-dependency' });
        const events = await backend.readEvents(run.runId, 0);
        expect(events.filter((event) => event.event === 'guard-tripped').map((event) => event.event === 'guard-tripped' && event.guard)).toEqual(['duplicate', 'unknown-dependency']);
        const [claimed] = await backend.claim({ worker: 'w', max: 1, leaseMs: LONG });
        const child = await backend.enqueue(run.runId, { type: 'child' }, { kind: 'task', ...claimed! });
        expect(child).toMatchObject({ ok: true });
        const snapshot = await backend.readRun(run.runId);
        expect(snapshot!.tasks.find((task) => task.type === 'child')).toMatchObject({ enqueuedBy: a, depth: 1 });
      });
    });

    it('a failure with attempts left waits for the attempt to end, then requeues; the last failure blocks every pending descendant', async () => {
      await withBackend(async (backend) => {
        await backend.createRun(run);
        const a = await enqueue(backend, 'a');
        const b = await enqueue(backend, 'b', [a]);
        const c = await enqueue(backend, 'c', [b]);
        const d = await enqueue(backend, 'd', [a, c]);
        const [first] = await backend.claim({ worker: 'w', max: 1, leaseMs: LONG });
        expect(await backend.complete(first!, 'failed', handoff('tried'))).toMatchObject({ ok: true });
        expect((await backend.readRun(run.runId))!.tasks[0]).toMatchObject({ status: 'running' });
        expect(await backend.complete(first!, 'done', handoff('again'))).toMatchObject({ ok: false, guard: 'already-completed' });
        expect(await backend.finishAttempt(first!, { kind: 'returned' })).toBe('applied');
        expect((await backend.readRun(run.runId))!.tasks[0]).toMatchObject({ status: 'pending', attempts: 1, error: { kind: 'agent-failed' } });
        const [second] = await backend.claim({ worker: 'w', max: 1, leaseMs: LONG });
        expect(second).toMatchObject({ taskId: a, attempt: 2 });
        expect(await backend.complete(second!, 'failed', handoff('gave up'))).toMatchObject({ ok: true });
        const snapshot = await backend.readRun(run.runId);
        expect(snapshot!.tasks.map((task) => [task.id, task.status])).toEqual([
          [a, 'failed'],
          [b, 'blocked'],
          [c, 'blocked'],
          [d, 'blocked'],
        ]);
        expect(snapshot!.tasks[2]!.error).toMatchObject({ kind: 'blocked', dependency: b });
        const tail = (await backend.readEvents(run.runId, 0)).slice(-4);
        expect(tail.map((event) => event.event)).toEqual(['task-failed', 'task-blocked', 'task-blocked', 'task-blocked']);
        expect(tail.map((event) => event.event === 'task-blocked' && event.taskId)).toEqual([false, b, d, c]);
        expect(await backend.finishAttempt(second!, { kind: 'returned' })).toBe('applied');
        expect(await backend.claim({ worker: 'w', max: 5, leaseMs: LONG })).toEqual([]);
      });
    });

    it('two workers drain one run: every task starts once and completes once, never before its dependencies', async () => {
      const first = await harness.open();
      const second = harness.peer === undefined ? first : await harness.peer(first);
      try {
        await first.createRun(run);
        const ids: string[] = [];
        for (let i = 0; i < 24; i += 1) ids.push(await enqueue(first, 'work', i >= 4 ? [ids[i - 4]!, ids[i % 4]!].filter((id, k, all) => all.indexOf(id) === k) : [], { inputs: { i } }));
        const total = ids.length;
        let done = 0;
        const worker = async (backend: Backend, name: string): Promise<void> => {
          while (done < total) {
            const claimed = await backend.claim({ runId: run.runId, worker: name, max: 2, leaseMs: LONG });
            if (claimed.length === 0) {
              await backend.waitForWork(200);
              continue;
            }
            for (const attempt of claimed) {
              const outcome = await backend.complete(attempt, 'done', handoff(name));
              if (outcome.ok) done += 1;
              await backend.finishAttempt(attempt, { kind: 'returned' });
            }
          }
        };
        await Promise.all([worker(first, 'w1'), worker(second, 'w2')]);
        const events = await first.readEvents(run.runId, 0, 10_000);
        const started = events.filter((event) => event.event === 'task-started');
        const completed = events.filter((event) => event.event === 'task-completed');
        expect(started).toHaveLength(total);
        expect(new Set(completed.map((event) => event.event === 'task-completed' && event.taskId)).size).toBe(total);
        expect(completed).toHaveLength(total);
        assertDependenciesFirst(events);
      } finally {
        if (second !== first) await second.close();
        await harness.dispose(first);
      }
    });

    it('fences a late call: after the lease is given back and the task claimed again, the old worker changes nothing', async () => {
      await withBackend(async (backend) => {
        await backend.createRun(run);
        await enqueue(backend, 'a');
        const [old] = await backend.claim({ worker: 'old', max: 1, leaseMs: LONG });
        expect(await backend.finishAttempt(old!, { kind: 'interrupted' })).toBe('applied');
        const [current] = await backend.claim({ worker: 'new', max: 1, leaseMs: LONG });
        expect(current).toMatchObject({ taskId: old!.taskId, attempt: old!.attempt, worker: 'new' });
        const before = await backend.readRun(run.runId);
        expect(await backend.heartbeat(old!, LONG)).toBe(false);
        expect(await backend.finishAttempt(old!, { kind: 'threw', message: 'late' })).toBe('stale');
        expect(await backend.complete(old!, 'done', handoff('late'))).toMatchObject({ ok: false, guard: 'not-running' });
        expect(await backend.enqueue(run.runId, { type: 'x' }, { kind: 'task', ...old! })).toMatchObject({ ok: false, guard: 'not-running' });
        const after = await backend.readRun(run.runId);
        expect(after!.tasks).toEqual(before!.tasks);
        expect(await backend.heartbeat(current!, LONG)).toBe(true);
        expect(await backend.complete(current!, 'done', handoff('on time'))).toMatchObject({ ok: true });
        expect((await backend.readHandoffs(run.runId, { taskId: current!.taskId }, orchestrator))[0]).toMatchObject({ did: 'on time' });
      });
    });

    it('an expired lease is given back without costing an attempt, and another worker takes the task', async () => {
      await withBackend(async (backend) => {
        await backend.createRun(run);
        const a = await enqueue(backend, 'a', [], { maxAttempts: 1 });
        const [dying] = await backend.claim({ worker: 'dying', max: 1, leaseMs: 50 });
        const after = (await backend.readEvents(run.runId, 0)).at(-1)!.seq;
        const requeued = await firstEvent(backend, after, (event) => event.event === 'task-requeued');
        expect(requeued).toMatchObject({ taskId: a, attempts: 0, error: { kind: 'interrupted' } });
        let taken: ClaimedAttempt[] = [];
        while (taken.length === 0) taken = await backend.claim({ worker: 'alive', max: 1, leaseMs: LONG });
        expect(taken[0]).toMatchObject({ taskId: a, attempt: 1, worker: 'alive' });
        expect(await backend.complete(dying!, 'done', handoff('zombie'))).toMatchObject({ ok: false });
        expect(await backend.complete(taken[0]!, 'done', handoff('alive'))).toMatchObject({ ok: true });
        expect((await backend.readRun(run.runId))!.tasks[0]).toMatchObject({ status: 'done', attempts: 1 });
      });
    });

    it('wakes a waiting worker when work becomes ready', async () => {
      const first = await harness.open();
      const second = harness.peer === undefined ? first : await harness.peer(first);
      try {
        await first.createRun(run);
        const a = await enqueue(first, 'a');
        await enqueue(first, 'b', [a]);
        const [claimed] = await first.claim({ worker: 'w1', max: 1, leaseMs: LONG });
        expect(await second.claim({ worker: 'w2', max: 1, leaseMs: LONG })).toEqual([]);
        // The wait's own timeout is far past the test's: only a wake-up can end it in time.
        const woken = second.waitForWork(10 * 60_000);
        await first.complete(claimed!, 'done', handoff('a'));
        await woken;
        expect(await second.claim({ worker: 'w2', max: 1, leaseMs: LONG })).toMatchObject([{ worker: 'w2' }]);
      } finally {
        if (second !== first) await second.close();
        await harness.dispose(first);
      }
    });

    it('is closed for business after close(), which is idempotent', async () => {
      const backend = await harness.open();
      await backend.createRun(run);
      await harness.dispose(backend);
      expect(backend.state).toBe('closed');
      await backend.close();
      await expect(backend.claim({ worker: 'w', max: 1, leaseMs: LONG })).rejects.toSatisfy((error: unknown) => isDroverError(error) && error.code === 'internal');
    });
  });
}

/** Every task-started comes after the task-completed of each of the task's dependencies. */
export function assertDependenciesFirst(events: readonly QueueEvent[]): void {
  const deps = new Map<string, readonly string[]>();
  const completedAt = new Map<string, number>();
  for (const event of events) {
    if (event.event === 'task-enqueued') deps.set(event.taskId, event.task.dependsOn);
    if (event.event === 'task-completed') completedAt.set(event.taskId, event.seq);
    if (event.event === 'task-started') {
      for (const dep of deps.get(event.taskId) ?? []) {
        const at = completedAt.get(dep);
        if (at === undefined || at > event.seq) throw new Error(`${event.taskId} started (seq ${event.seq}) before its dependency ${dep} completed`);
      }
    }
  }
}
