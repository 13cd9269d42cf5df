import { describe, expect, it } from 'vitest';
import { ARTIFACT_LOG_TAIL_BYTES, type Backend, type ClaimedAttempt } from '../../src/backend/index.js';
import { isDroverError } from '../../src/errors/index.js';
import { DEFAULT_REFUSALS_PER_ATTEMPT } from '../../src/queue/limits.js';
import type { QueueEvent } from '../../src/queue/index.js';
import { seedTaskRequest } from '../../src/queue/seed-task.js';
import { finishRunIfDone } from '../../src/runner/finish-run-if-done.js';

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
const dashboard = { by: 'dashboard', address: '127.0.0.1' } as const;

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

    it('retries a failed task from the dashboard: it and what its failure blocked are pending again, the finished run reopens, and a worker claims it with the next attempt', async () => {
      await withBackend(async (backend) => {
        await backend.createRun(run);
        const a = await enqueue(backend, 'a', [], { maxAttempts: 1 });
        const b = await enqueue(backend, 'b', [a]);
        const c = await enqueue(backend, 'c');
        await backend.markSeeded(run.runId);
        const claimed = await backend.claim({ worker: 'w', max: 2, leaseMs: LONG });
        const [first, other] = claimed;
        expect(await backend.retryTask(run.runId, a, dashboard)).toEqual({ ok: false, message: `task ${a} is running: only a failed task can be retried` });
        await backend.complete(first!, 'failed', handoff('gave up'));
        await backend.finishAttempt(first!, { kind: 'returned' });
        await backend.complete(other!, 'done', handoff('c'));
        await backend.finishAttempt(other!, { kind: 'returned' });
        await backend.finishRun(run.runId, 'failed', [a], [b]);
        expect(await backend.retryTask(run.runId, b, dashboard)).toMatchObject({ ok: false, message: expect.stringContaining('is blocked') });
        expect(await backend.retryTask(run.runId, c, dashboard)).toMatchObject({ ok: false, message: expect.stringContaining('is done') });

        expect(await backend.retryTask(run.runId, a, dashboard)).toEqual({ ok: true });
        const snapshot = await backend.readRun(run.runId);
        expect(snapshot!.status).toBe('running');
        expect(snapshot!.tasks.map((task) => [task.id, task.status])).toEqual([[a, 'pending'], [b, 'pending'], [c, 'done']]);
        expect(snapshot!.tasks[0]).toMatchObject({ attempts: 1, maxAttempts: 3 });
        const retried = (await backend.readEvents(run.runId, 0)).at(-1);
        expect(retried).toMatchObject({ event: 'task-retried', taskId: a, unblocked: [b], reopened: true, maxAttempts: 3, by: 'dashboard', address: '127.0.0.1' });
        expect((await backend.listRuns())[0]).toMatchObject({ status: 'running' });
        const [again] = await backend.claim({ worker: 'w', max: 5, leaseMs: LONG });
        expect(again).toMatchObject({ taskId: a, attempt: 2 });
        await backend.complete(again!, 'done', handoff('a at last'));
        await backend.finishAttempt(again!, { kind: 'returned' });
        expect((await backend.claim({ worker: 'w', max: 5, leaseMs: LONG })).map((next) => next.taskId)).toEqual([b]);
      });
    });

    it('a task retried while its failed attempt\'s agent is still exiting is not claimed until that attempt has ended (never twice at once)', async () => {
      await withBackend(async (backend) => {
        await backend.createRun(run);
        const a = await enqueue(backend, 'a', [], { maxAttempts: 1 });
        const b = await enqueue(backend, 'b');
        await backend.markSeeded(run.runId);
        const [first] = await backend.claim({ worker: 'w', max: 1, leaseMs: LONG });
        // The agent reported its failure; its process has not exited yet (no finishAttempt) when a person retries it.
        await backend.complete(first!, 'failed', handoff('gave up'));
        expect(await backend.retryTask(run.runId, a, dashboard)).toEqual({ ok: true });
        expect((await backend.claim({ worker: 'w', max: 5, leaseMs: LONG })).map((next) => next.taskId)).toEqual([b]);
        // The old agent exits: the retried task is free to start, with the next attempt.
        expect(await backend.finishAttempt(first!, { kind: 'returned' })).toBe('applied');
        expect(await backend.claim({ worker: 'w2', max: 5, leaseMs: LONG })).toMatchObject([{ taskId: a, attempt: 2 }]);
        expect((await backend.readRun(run.runId))!.tasks[0]).toMatchObject({ id: a, status: 'running', attempts: 2 });
      });
    });

    it('cancels a run: the request names who asked, running attempts are given back and their leases lost, nothing more is claimed, and the run ends cancelled', async () => {
      await withBackend(async (backend) => {
        await backend.createRun(run);
        const a = await enqueue(backend, 'a');
        await enqueue(backend, 'b');
        await enqueue(backend, 'c');
        await backend.markSeeded(run.runId);
        const [running] = await backend.claim({ worker: 'w', max: 1, leaseMs: LONG });
        const before = (await backend.readRun(run.runId))!.seq;
        expect(await backend.cancelRun(run.runId, dashboard)).toEqual({ ok: true });
        const events = await backend.readEvents(run.runId, before);
        expect(events.map((event) => event.event)).toEqual(['run-cancel-requested', 'task-requeued', 'run-finished']);
        expect(events[0]).toMatchObject({ by: 'dashboard', address: '127.0.0.1' });
        expect(events[2]).toMatchObject({ verdict: 'cancelled' });
        const snapshot = await backend.readRun(run.runId);
        expect(snapshot!.status).toBe('cancelled');
        expect(snapshot!.tasks[0]).toMatchObject({ id: a, status: 'pending', attempts: 0 });
        expect(await backend.heartbeat(running!, LONG)).toBe(false);
        expect(await backend.finishAttempt(running!, { kind: 'interrupted' })).toBe('stale');
        expect(await backend.claim({ worker: 'w', max: 5, leaseMs: LONG })).toEqual([]);
        expect(await backend.cancelRun(run.runId, dashboard)).toMatchObject({ ok: false, message: expect.stringContaining('is not running (cancelled)') });
        expect((await backend.listRuns())[0]).toMatchObject({ status: 'cancelled' });
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

    it('claim passes over a ready task whose write scope overlaps a busy scope or one claimed before it in the same call; it stays ready, in its place', async () => {
      await withBackend(async (backend) => {
        await backend.createRun(run);
        const a = await enqueue(backend, 'a', [], { writes: ['src/**'] });
        const b = await enqueue(backend, 'b', [], { writes: ['src/x.ts'] });
        const c = await enqueue(backend, 'c');
        const d = await enqueue(backend, 'd', [], { writes: ['docs/**'] });
        await backend.markSeeded(run.runId);
        const first = await backend.claim({ worker: 'w1', max: 5, leaseMs: LONG, busyScopes: [['docs/a.md']] });
        expect(first.map((claimed) => claimed.taskId)).toEqual([a, c]);
        expect(await backend.claim({ worker: 'w1', max: 1, leaseMs: LONG, busyScopes: [['src/**'], ['docs']] })).toEqual([]);
        expect((await backend.claim({ worker: 'w1', max: 1, leaseMs: LONG, busyScopes: [['src/**']] })).map((claimed) => claimed.taskId)).toEqual([d]);
        // No scope held any more (another workdir, or a's agent has exited): b is next, as enqueued.
        expect((await backend.claim({ worker: 'w2', max: 1, leaseMs: LONG })).map((claimed) => claimed.taskId)).toEqual([b]);
      });
    });

    it('claim with a busy scope passes over any number of conflicting ready tasks (more than it reads at a time) and claims the free one after them', async () => {
      await withBackend(async (backend) => {
        await backend.createRun(run);
        const ids = await backend.enqueueBatch(run.runId, (add) => {
          const out: string[] = [];
          for (let i = 0; i < 80; i += 1) out.push(add({ type: 'scoped', reason: 'r', inputs: { i }, writes: ['src/**'] }));
          out.push(add({ type: 'free', reason: 'r' }));
          out.push(add({ type: 'docs', reason: 'r', writes: ['docs/**'] }));
          return out;
        });
        await backend.markSeeded(run.runId);
        // The worker's one attempt holds src/** (its agent is still running): only tasks outside it may start beside it.
        expect((await backend.claim({ worker: 'w1', max: 1, leaseMs: LONG, busyScopes: [['src/**']] })).map((claimed) => claimed.taskId)).toEqual([ids[80]]);
        expect((await backend.claim({ worker: 'w1', max: 5, leaseMs: LONG, busyScopes: [['src/**']] })).map((claimed) => claimed.taskId)).toEqual([ids[81]]);
        expect(await backend.claim({ worker: 'w1', max: 5, leaseMs: LONG, busyScopes: [['src/**']] })).toEqual([]);
      });
    });

    it('abandon fails pending tasks (backstop) and blocks their dependents, leaving others alone; readUpstreamHandoffs gives every ancestor\'s handoff, roots first', async () => {
      await withBackend(async (backend) => {
        await backend.createRun(run);
        const root = await enqueue(backend, 'root');
        const mid = await enqueue(backend, 'mid', [root]);
        const leaf = await enqueue(backend, 'leaf', [mid]);
        const stuck = await enqueue(backend, 'stuck');
        const after = await enqueue(backend, 'after', [stuck]);
        await backend.markSeeded(run.runId);
        for (const [id, did] of [[root, 'did root'], [mid, 'did mid']] as const) {
          const [claimed] = await backend.claim({ worker: 'w1', max: 1, leaseMs: LONG });
          expect(claimed!.taskId).toBe(id);
          await backend.complete(claimed!, 'done', handoff(did));
          await backend.finishAttempt(claimed!, { kind: 'returned' });
        }
        expect((await backend.readUpstreamHandoffs(run.runId, leaf)).map((up) => [up.task.id, up.handoff.did])).toEqual([
          [root, 'did root'],
          [mid, 'did mid'],
        ]);
        const [running] = await backend.claim({ worker: 'w1', max: 1, leaseMs: LONG });
        expect(running!.taskId).toBe(leaf);
        await backend.abandon(run.runId, [leaf, stuck], 'the run reached its limit of 10 starts per task and stopped starting tasks');
        const tasks = new Map((await backend.readRun(run.runId))!.tasks.map((task) => [task.id, task]));
        expect(tasks.get(leaf)).toMatchObject({ status: 'running' });
        expect(tasks.get(stuck)).toMatchObject({ status: 'failed', error: { kind: 'backstop' } });
        expect(tasks.get(after)).toMatchObject({ status: 'blocked' });
      });
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

/**
 * The port's seed, refusal, artifact and read operations (`enqueueBatch`, `refuse`,
 * `saveArtifact`, `listRuns`, `readAllHandoffs`, `readArtifact`), on every adapter.
 */
export function describeSeedAndReadConformance(name: string, harness: BackendHarness): void {
  async function withBackend(test: (backend: Backend) => Promise<void>): Promise<void> {
    const backend = await harness.open();
    try {
      await test(backend);
    } finally {
      await harness.dispose(backend);
    }
  }

  async function enqueue(backend: Backend, type: string, dependsOn: string[] = []): Promise<string> {
    const outcome = await backend.enqueue(run.runId, { type, reason: 'r', dependsOn }, orchestrator);
    if (!outcome.ok) throw new Error(outcome.message);
    return outcome.value.id;
  }

  describe(`Backend conformance, seed and read: ${name}`, () => {
    it('the seed task: created with the run, claimed only by a worker with its seeder, what it enqueues is ready at once, a sink waits for it, its completion records run-seeded', async () => {
      await withBackend(async (backend) => {
        const peer = harness.peer !== undefined ? await harness.peer(backend) : backend;
        try {
          await backend.createRun({ ...run, seed: seedTaskRequest('integrate', { how: 'explorer' }) });
          const created = await backend.readRun(run.runId);
          expect(created!.tasks.map((task) => [task.id, task.type, task.status, task.inputs['seeder'], task.enqueuedBy])).toEqual([['seed', 'seed', 'pending', 'integrate', 'orchestrator']]);
          expect(created!.seeded).toBe(false);
          // A worker without the seeder (or with another one) passes over it; it stays ready for one that has it.
          expect(await backend.claim({ worker: 'w-none', max: 5, leaseMs: LONG, runId: run.runId })).toEqual([]);
          expect(await peer.claim({ worker: 'w-other', max: 5, leaseMs: LONG, seeders: ['fanout:abc'] })).toEqual([]);
          const [seed] = await peer.claim({ worker: 'w-seed', max: 5, leaseMs: LONG, seeders: ['integrate'] });
          expect(seed).toMatchObject({ taskId: 'seed', attempt: 1, task: { status: 'running' } });
          // The seeder enqueues as the orchestrator; the ids of the other tasks do not count the seed task.
          const [a, b] = await backend.enqueueBatch(run.runId, (add) => [add({ type: 'a', reason: 'r' }), add({ type: 'b', reason: 'r' })]);
          expect([a, b]).toEqual(['a-1', 'b-2']);
          const sink = await backend.enqueue(run.runId, { type: 'report', reason: 'r', dependsOn: [a!, b!] }, orchestrator);
          expect(sink).toEqual({ ok: true, value: { id: 'report-3' } });
          // What the seed enqueued starts before the seed step ends (a worker without the seeder takes it).
          const early = await backend.claim({ worker: 'w-none', max: 5, leaseMs: LONG, runId: run.runId });
          expect(early.map((claimed) => claimed.taskId)).toEqual([a, b]);
          // An agent may not enqueue a seed task.
          const refused = await backend.enqueue(run.runId, { type: 'seed', reason: 'r' }, { kind: 'task', ...early[0]! });
          expect(refused).toMatchObject({ ok: false, guard: 'unknown-type' });
          for (const claimed of early) {
            await backend.complete(claimed, 'done', handoff('did'));
            await backend.finishAttempt(claimed, { kind: 'returned' });
          }
          // The sink waits for the seed step: nothing more is ready while it runs.
          expect(await backend.claim({ worker: 'w-none', max: 5, leaseMs: LONG, runId: run.runId })).toEqual([]);
          const before = (await backend.readRun(run.runId))!;
          expect(before.tasks.find((task) => task.id === 'report-3')!.dependsOn).toEqual([a, b, 'seed']);
          expect(await peer.complete(seed!, 'done', handoff('seeded'))).toEqual({ ok: true, value: { status: 'done' } });
          const events = await backend.readEvents(run.runId, before.seq);
          expect(events.map((event) => event.event)).toEqual(['task-completed', 'run-seeded']);
          expect(events[1]).toMatchObject({ taskCount: 3 });
          expect(events[1]!.seq).toBe(events[0]!.seq + 1);
          expect((await backend.readRun(run.runId))!.seeded).toBe(true);
          await peer.finishAttempt(seed!, { kind: 'returned' });
          expect((await backend.claim({ worker: 'w-none', max: 5, leaseMs: LONG, runId: run.runId })).map((claimed) => claimed.taskId)).toEqual(['report-3']);
        } finally {
          if (peer !== backend) await peer.close();
        }
      });
    });

    it('a claim naming programs takes tasks only of a run created with one of them; a claim naming none takes any run', async () => {
      await withBackend(async (backend) => {
        await backend.createRun({ ...run, program: 'fanout:abc' });
        const a = await enqueue(backend, 'a');
        await enqueue(backend, 'b');
        await backend.markSeeded(run.runId);
        for (const runId of [run.runId, undefined]) {
          expect(await backend.claim({ worker: 'w-int', max: 5, leaseMs: LONG, runId, programs: ['integrate'] })).toEqual([]);
          expect(await backend.claim({ worker: 'w-none', max: 5, leaseMs: LONG, runId, programs: [] })).toEqual([]);
        }
        const [own] = await backend.claim({ worker: 'w-fan', max: 1, leaseMs: LONG, programs: ['integrate', 'fanout:abc'] });
        expect(own).toMatchObject({ taskId: a, worker: 'w-fan' });
        const [any] = await backend.claim({ worker: 'w-lib', max: 1, leaseMs: LONG, runId: run.runId });
        expect(any).toMatchObject({ taskId: 'b-2', worker: 'w-lib' });
      });
      // A run created without a program is taken only by claims that name none.
      await withBackend(async (backend) => {
        await backend.createRun(run);
        await enqueue(backend, 'a');
        await backend.markSeeded(run.runId);
        expect(await backend.claim({ worker: 'w-int', max: 5, leaseMs: LONG, runId: run.runId, programs: ['integrate'] })).toEqual([]);
        expect(await backend.claim({ worker: 'w-lib', max: 5, leaseMs: LONG, runId: run.runId })).toHaveLength(1);
      });
    });

    it('a seed attempt given back is claimed again, and the re-seed reuses what the first attempt enqueued; claim takes only the asked-for types', async () => {
      await withBackend(async (backend) => {
        await backend.createRun({ ...run, seed: seedTaskRequest('integrate', {}) });
        const graph = (add: (request: { type: string; inputs?: Record<string, unknown>; reason?: string }) => string): string[] => [add({ type: 'a', inputs: { n: 1 }, reason: 'r' }), add({ type: 'b', inputs: { n: 2 }, reason: 'r' })];
        const [first] = await backend.claim({ worker: 'w1', max: 5, leaseMs: LONG, seeders: ['integrate'], types: ['seed'] });
        expect(first!.taskId).toBe('seed');
        const ids = await backend.enqueueBatch(run.runId, graph);
        // Only seed tasks were asked for: the ready a and b stay where they are.
        expect(await backend.claim({ worker: 'w1', max: 5, leaseMs: LONG, seeders: ['integrate'], types: ['seed'] })).toEqual([]);
        expect(await backend.finishAttempt(first!, { kind: 'interrupted' })).toBe('applied');
        const [again] = await backend.claim({ worker: 'w2', max: 1, leaseMs: LONG, seeders: ['integrate'] });
        // Given back: the same attempt number again, under the new worker.
        expect(again).toMatchObject({ taskId: 'seed', attempt: 1, worker: 'w2' });
        expect(await backend.enqueueBatch(run.runId, graph)).toEqual(ids);
        await backend.complete(again!, 'done', handoff('seeded'));
        const snapshot = (await backend.readRun(run.runId))!;
        expect(snapshot.tasks.map((task) => task.id)).toEqual(['seed', ...ids]);
        expect(snapshot.seeded).toBe(true);
      });
    });

    it('hands out copies of what JSON keeps: a Date in a task\'s inputs is its ISO string from claim, readRun, readEvents and readUpstreamHandoffs, and changing a copy changes nothing stored', async () => {
      await withBackend(async (backend) => {
        await backend.createRun(run);
        const when = new Date('2026-12-02T10:00:00.000Z');
        const iso = when.toISOString();
        const outcome = await backend.enqueue(run.runId, { type: 'a', reason: 'r', inputs: { when, list: [when], files: ['x.ts'] } }, orchestrator);
        if (!outcome.ok) throw new Error(outcome.message);
        const b = await enqueue(backend, 'b', [outcome.value.id]);
        await backend.markSeeded(run.runId);
        const expected = { when: iso, list: [iso], files: ['x.ts'] };
        const [claimed] = await backend.claim({ worker: 'w', max: 1, leaseMs: LONG });
        expect(claimed!.task.inputs).toEqual(expected);
        const snapshot = (await backend.readRun(run.runId))!;
        expect(snapshot.tasks[0]!.inputs).toEqual(expected);
        const enqueued = (await backend.readEvents(run.runId, 0)).find((event) => event.event === 'task-enqueued');
        expect(enqueued).toMatchObject({ task: { inputs: expected } });
        // Every copy is the caller's own: a change to one reaches nothing the backend keeps.
        (claimed!.task.inputs['files'] as string[]).push('y.ts');
        (snapshot.tasks[0]!.inputs['list'] as string[]).length = 0;
        (snapshot.tasks[0]!.dependsOn as string[]).push('z');
        expect(await backend.complete(claimed!, 'done', handoff('a'))).toMatchObject({ ok: true });
        await backend.finishAttempt(claimed!, { kind: 'returned' });
        const upstream = await backend.readUpstreamHandoffs(run.runId, b);
        expect(upstream.map((entry) => entry.task.inputs)).toEqual([expected]);
        expect((await backend.readRun(run.runId))!.tasks.map((task) => [task.inputs, task.dependsOn])).toEqual([[expected, []], [{}, [outcome.value.id]]]);
      });
    });

    it('a seed task that fails for good fails the run with its reason', async () => {
      await withBackend(async (backend) => {
        await backend.createRun({ ...run, seed: { ...seedTaskRequest('integrate', {}), maxAttempts: 1 } });
        const [seed] = await backend.claim({ worker: 'w1', max: 1, leaseMs: LONG, seeders: ['integrate'] });
        expect(await backend.finishAttempt(seed!, { kind: 'threw', message: 'the plan file is unreadable' })).toBe('applied');
        const ended = await finishRunIfDone(backend, run.runId);
        expect(ended).toMatchObject({ status: 'failed', seeded: false });
        expect(ended!.tasks[0]).toMatchObject({ id: 'seed', status: 'failed', error: { message: expect.stringContaining('the plan file is unreadable') } });
      });
    });

    it('seeds a graph in one enqueueBatch: later requests depend on earlier ids, and a re-seed returns the twins\' ids and adds nothing', async () => {
      await withBackend(async (backend) => {
        await backend.createRun(run);
        const seed = (add: (request: { type: string; inputs?: Record<string, unknown>; dependsOn?: string[]; reason?: string }) => string): string[] => {
          const ids: string[] = [];
          for (let i = 0; i < 50; i += 1) ids.push(add({ type: 'work', inputs: { i }, dependsOn: i >= 10 ? [ids[i - 10]!] : [], reason: 'seed' }));
          ids.push(add({ type: 'report', dependsOn: [...ids] }));
          return ids;
        };
        const ids = await backend.enqueueBatch(run.runId, seed);
        expect(new Set(ids).size).toBe(51);
        const events = await backend.readEvents(run.runId, 0, 10_000);
        expect(events.map((event) => event.seq)).toEqual(events.map((_, i) => i + 1));
        expect(events.filter((event) => event.event === 'task-enqueued').map((event) => event.event === 'task-enqueued' && event.taskId)).toEqual(ids);
        const snapshot = (await backend.readRun(run.runId))!;
        expect(snapshot.tasks.map((task) => task.id)).toEqual(ids);
        expect(snapshot.tasks[12]).toMatchObject({ dependsOn: [ids[2]], status: 'pending', enqueuedBy: 'orchestrator' });
        expect(snapshot.tasks[50]).toMatchObject({ type: 'report', sink: true });
        // After a crash the seed step runs again: every request finds its live twin.
        const again = await backend.enqueueBatch(run.runId, seed);
        expect(again).toEqual(ids);
        expect((await backend.readEvents(run.runId, 0, 10_000)).length).toBe(events.length);
        // The batch's tasks run like any others: the first ten are ready, in order.
        const claimed = await backend.claim({ runId: run.runId, worker: 'w', max: 20, leaseMs: LONG });
        expect(claimed.map((attempt) => attempt.taskId)).toEqual(ids.slice(0, 10));
        await backend.complete(claimed[2]!, 'done', handoff('2'));
        expect((await backend.claim({ runId: run.runId, worker: 'w', max: 20, leaseMs: LONG })).map((attempt) => attempt.taskId)).toEqual([ids[12]]);
      });
    });

    it('a refusal inside a batch commits what came before it with the refusal, then throws; a later request enqueued after it blocks on a failed dependency', async () => {
      await withBackend(async (backend) => {
        await backend.createRun(run);
        const added: string[] = [];
        const error = await backend
          .enqueueBatch(run.runId, (add) => {
            added.push(add({ type: 'a' }));
            added.push(add({ type: 'b', dependsOn: [added[0]!] }));
            add({ type: 'c', dependsOn: ['no-such-task'] });
            added.push(add({ type: 'd' }));
          })
          .catch((thrown: unknown) => thrown);
        expect((error as Error).message).toMatch(/^seeding refused by guard unknown-dependency: dependsOn names tasks that do not exist: no-such-task/);
        expect(added).toHaveLength(2);
        const snapshot = (await backend.readRun(run.runId))!;
        expect(snapshot.tasks.map((task) => task.id)).toEqual(added);
        const events = await backend.readEvents(run.runId, 0);
        expect(events.map((event) => event.event)).toEqual(['run-started', 'task-enqueued', 'task-enqueued', 'guard-tripped']);
        expect(events[3]).toMatchObject({ guard: 'unknown-dependency', caller: 'orchestrator', tool: 'enqueue_task', type: 'c' });
        // A task seeded on a dependency that already failed for good is blocked at once, in the same batch.
        const [a] = await backend.claim({ runId: run.runId, worker: 'w', max: 1, leaseMs: LONG });
        await backend.complete(a!, 'failed', handoff('x'));
        await backend.finishAttempt(a!, { kind: 'returned' });
        const [again] = await backend.claim({ runId: run.runId, worker: 'w', max: 1, leaseMs: LONG });
        await backend.complete(again!, 'failed', handoff('y'));
        const late = await backend.enqueueBatch(run.runId, (add) => add({ type: 'late', dependsOn: [added[0]!] }));
        const task = (await backend.readRun(run.runId))!.tasks.find((t) => t.id === late);
        expect(task).toMatchObject({ status: 'blocked', error: { kind: 'blocked', dependency: added[0] } });
        expect((await backend.readEvents(run.runId, 0)).slice(-2).map((event) => event.event)).toEqual(['task-enqueued', 'task-blocked']);
      });
    });

    it('records refused tool calls; past the refusal budget one refusal-budget trip is logged and the attempt ends as a runaway', async () => {
      await withBackend(async (backend) => {
        await backend.createRun(run);
        await enqueue(backend, 'a');
        const [attempt] = await backend.claim({ runId: run.runId, worker: 'w', max: 1, leaseMs: LONG });
        const caller = { kind: 'task', ...attempt! } as const;
        const before = (await backend.readEvents(run.runId, 0)).length;
        await backend.refuse(caller, 'read_handoffs', 'invalid-input', 'taskId: expected a string');
        const [first] = (await backend.readEvents(run.runId, before)).slice(-1);
        expect(first).toMatchObject({ event: 'guard-tripped', guard: 'invalid-input', message: 'taskId: expected a string', caller: attempt!.taskId, tool: 'read_handoffs', taskId: attempt!.taskId, attempt: 1 });
        for (let i = 1; i < DEFAULT_REFUSALS_PER_ATTEMPT + 5; i += 1) await backend.refuse(caller, 'read_handoffs', 'invalid-input', `call ${i}`);
        const trips = (await backend.readEvents(run.runId, before, 10_000)).filter((event) => event.event === 'guard-tripped');
        expect(trips).toHaveLength(DEFAULT_REFUSALS_PER_ATTEMPT + 1);
        expect(trips.at(-1)).toMatchObject({ guard: 'refusal-budget', taskId: attempt!.taskId, attempt: 1 });
        expect(trips.at(-1)!.event === 'guard-tripped' && trips.at(-1)!.message).toMatch(/^Too many refused calls: this attempt made 21 \(the limit is 20\)/);
        // Other refusals of the same attempt count too, and are answered with the budget's guard.
        expect(await backend.enqueue(run.runId, { type: 'x', dependsOn: ['nope'] }, caller)).toMatchObject({ ok: false, guard: 'refusal-budget' });
        expect(await backend.finishAttempt(attempt!, { kind: 'returned' })).toBe('applied');
        expect((await backend.readRun(run.runId))!.tasks[0]).toMatchObject({ status: 'pending', attempts: 1, error: { kind: 'runaway', message: 'runaway agent: more than 20 of its tool calls in this attempt were refused, so it was stopped' } });
        // The next attempt has a budget of its own.
        const [next] = await backend.claim({ runId: run.runId, worker: 'w', max: 1, leaseMs: LONG });
        await backend.refuse({ kind: 'task', ...next! }, 'complete_task', 'invalid-input', 'status: expected done, failed or skipped');
        expect((await backend.readEvents(run.runId, 0, 10_000)).at(-1)).toMatchObject({ guard: 'invalid-input', attempt: 2 });
      });
    });

    it('keeps each task\'s latest prompt and a bounded log tail', async () => {
      await withBackend(async (backend) => {
        await backend.createRun(run);
        const a = await enqueue(backend, 'a');
        const [first] = await backend.claim({ runId: run.runId, worker: 'w', max: 1, leaseMs: LONG });
        expect(await backend.readArtifact(run.runId, a, 'prompt')).toBeUndefined();
        await backend.saveArtifact(first!, 'prompt', 'Do the thing.\n');
        const log = `${'€'.repeat(30_000)}the end\n`; // 90,008 bytes: the bound falls inside a 3-byte character
        await backend.saveArtifact(first!, 'log', log);
        expect(await backend.readArtifact(run.runId, a, 'prompt')).toBe('Do the thing.\n');
        const tail = (await backend.readArtifact(run.runId, a, 'log'))!;
        expect(Buffer.byteLength(tail)).toBeLessThanOrEqual(ARTIFACT_LOG_TAIL_BYTES);
        expect(Buffer.byteLength(tail)).toBeGreaterThan(ARTIFACT_LOG_TAIL_BYTES - 3);
        expect(log.endsWith(tail)).toBe(true);
        expect(tail.endsWith('€the end\n')).toBe(true);
        expect(tail).not.toContain('\uFFFD');
        await backend.finishAttempt(first!, { kind: 'threw', message: 'boom' });
        const [second] = await backend.claim({ runId: run.runId, worker: 'w', max: 1, leaseMs: LONG });
        await backend.saveArtifact(second!, 'log', 'attempt 2\n');
        // A late save from the older attempt does not overwrite the newer one.
        await backend.saveArtifact(first!, 'log', 'attempt 1, late\n');
        expect(await backend.readArtifact(run.runId, a, 'log')).toBe('attempt 2\n');
        expect(await backend.readArtifact(run.runId, a, 'prompt')).toBe('Do the thing.\n');
        await expect(backend.saveArtifact({ ...second!, taskId: 'no-such-task' }, 'log', 'x')).rejects.toSatisfy((error: unknown) => isDroverError(error) && error.code === 'input-invalid');
      });
    });

    it('lists the run with task counts by status, and every handoff in completion order', async () => {
      await withBackend(async (backend) => {
        expect(await backend.listRuns()).toEqual([]);
        await backend.createRun(run);
        const ids = await backend.enqueueBatch(run.runId, (add) => ['a', 'b', 'c', 'd', 'e'].map((type) => add({ type })));
        await enqueue(backend, 'f', [ids[3]!]);
        const claimed = await backend.claim({ runId: run.runId, worker: 'w', max: 3, leaseMs: LONG });
        await backend.complete(claimed[1]!, 'done', handoff('b'));
        await backend.complete(claimed[0]!, 'skipped', handoff('a'));
        const [d] = await backend.claim({ runId: run.runId, worker: 'w', max: 1, leaseMs: LONG });
        expect(d!.taskId).toBe(ids[3]);
        await backend.complete(d!, 'failed', handoff('d'));
        await backend.finishAttempt(d!, { kind: 'returned' });
        const [dAgain] = await backend.claim({ runId: run.runId, worker: 'w', max: 1, leaseMs: LONG });
        expect(dAgain!.taskId).toBe(ids[3]);
        await backend.complete(dAgain!, 'failed', handoff('d again'));
        const runs = await backend.listRuns();
        expect(runs).toHaveLength(1);
        expect(runs[0]).toMatchObject({ runId: run.runId, installDir: '/app', status: 'running', counts: { done: 1, skipped: 1, running: 1, pending: 1, failed: 1, blocked: 1 } });
        expect(runs[0]!.endedAt).toBeUndefined();
        expect(Date.parse(runs[0]!.startedAt)).not.toBeNaN();
        expect((await backend.readAllHandoffs(run.runId)).map((h) => [h.taskId, h.status, h.did])).toEqual([
          [ids[1], 'done', 'b'],
          [ids[0], 'skipped', 'a'],
          [ids[3], 'failed', 'd again'],
        ]);
        await backend.finishRun(run.runId, 'failed', [ids[3]!], []);
        const [finished] = await backend.listRuns();
        expect(finished).toMatchObject({ runId: run.runId, status: 'failed' });
        expect(Date.parse(finished!.endedAt!)).not.toBeNaN();
      });
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
