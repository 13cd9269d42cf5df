import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LocalBackend } from '../backend/local/local-backend.js';
import type { AgentContext } from '../agents/agent-runtime.js';
import { functionAgent } from '../agents/function-agent.js';
import type { QueueEvent } from '../queue/events.js';
import type { Task } from '../queue/task.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { MemoryStore } from '../store/memory/memory-store.js';
import { TEST_POLICY } from '../testing/queue-builder.js';
import { Worker, type WorkerOptions } from './worker.js';

const RUN = 'run-1';
const handoff = (did: string) => ({ goal: 'g', did, forNextAgent: `${did} for the next agent` });
const backends: LocalBackend[] = [];
afterEach(async () => {
  for (const backend of backends.splice(0)) await backend.close();
});

async function seededBackend(requests: ReadonlyArray<{ type: string; dependsOn?: number[]; writes?: string[]; maxAttempts?: number }>, store = new MemoryStore(), policy = TEST_POLICY): Promise<{ backend: LocalBackend; ids: string[] }> {
  const backend = new LocalBackend(store, policy, { reaperIntervalMs: 20 });
  backends.push(backend);
  await backend.createRun({ runId: RUN, installDir: '/app', detected: { framework: null, packageManager: null } });
  const ids = await backend.enqueueBatch(RUN, (add) => {
    const out: string[] = [];
    for (const request of requests) out.push(add({ type: request.type, inputs: { n: out.length }, dependsOn: (request.dependsOn ?? []).map((i) => out[i]!), reason: 'test', ...(request.writes !== undefined ? { writes: request.writes } : {}), ...(request.maxAttempts !== undefined ? { maxAttempts: request.maxAttempts } : {}) }));
    return out;
  });
  await backend.markSeeded(RUN);
  return { backend, ids };
}

async function worker(backend: LocalBackend, run: (task: Task, context: AgentContext, signal: AbortSignal) => Promise<void>, options: Partial<WorkerOptions> = {}): Promise<Worker> {
  return new Worker({ backend, agent: functionAgent(run), workdir: '/app', stateDir: await mkdtemp(join(tmpdir(), 'drover-runner-')), runId: RUN, leaseMs: 5000, pollMs: 200, ...options });
}

async function events(backend: LocalBackend): Promise<QueueEvent[]> {
  return backend.readEvents(RUN, 0, 10_000);
}

describe('Worker', () => {
  it('drains a run through the port: follow-ups enqueued by an agent run, dependents see upstream handoffs in their prompt and through read_handoffs, the prompt is saved, the verdict recorded', async () => {
    const { backend, ids } = await seededBackend([{ type: 'plan' }, { type: 'report', dependsOn: [0] }]);
    const read: unknown[] = [];
    const w = await worker(
      backend,
      async (task, context) => {
        if (task.type === 'plan') await context.tools.enqueue_task({ type: 'instrument', reason: 'found work' });
        if (task.type === 'report') read.push(await context.tools.read_handoffs({}));
        await context.tools.complete_task({ status: 'done', handoff: handoff(`did ${task.id}`) });
      },
      { prepare: async (task, _attempt, upstream) => ({ prompt: `prompt of ${task.id}; upstream: ${upstream.map((u) => u.handoff.did).join(', ')}` }) },
    );
    const outcome = await w.run();
    expect(outcome).toMatchObject({ reason: 'run-ended', snapshot: { status: 'done' } });
    expect(w.state).toBe('stopped');
    const snapshot = (await backend.readRun(RUN))!;
    expect(snapshot.tasks.map((task) => [task.type, task.status])).toEqual([
      ['plan', 'done'],
      ['report', 'done'],
      ['instrument', 'done'],
    ]);
    // report is a sink: the follow-up became one of its dependencies, so it waited for it and sees its handoff too.
    expect(read).toEqual([{ ok: true, value: [expect.objectContaining({ taskId: ids[0], did: `did ${ids[0]}` }), expect.objectContaining({ type: 'instrument' })] }]);
    expect(await backend.readArtifact(RUN, ids[1]!, 'prompt')).toBe(`prompt of ${ids[1]}; upstream: did ${ids[0]}, did instrument-3`);
    expect((await events(backend)).filter((event) => event.event === 'run-finished')).toMatchObject([{ verdict: 'done' }]);
  });

  it('several workers on one run: every task runs once, and the verdict is recorded once', async () => {
    const { backend, ids } = await seededBackend(Array.from({ length: 12 }, () => ({ type: 'step' })));
    const ran: string[] = [];
    const agent = async (task: Task, context: AgentContext): Promise<void> => {
      ran.push(task.id);
      await context.tools.complete_task({ status: 'done', handoff: handoff(task.id) });
    };
    const workers = await Promise.all([1, 2, 3].map(() => worker(backend, agent, { concurrency: 2 })));
    const outcomes = await Promise.all(workers.map((w) => w.run()));
    expect(outcomes.map((outcome) => outcome.reason)).toEqual(['run-ended', 'run-ended', 'run-ended']);
    expect([...ran].sort()).toEqual([...ids].sort());
    expect((await events(backend)).filter((event) => event.event === 'run-finished')).toHaveLength(1);
  });

  it('stops an agent at the task timeout and ends the attempt as timed out', async () => {
    const { backend, ids } = await seededBackend([{ type: 'slow' }]);
    const w = await worker(backend, (_task, _context, signal) => new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true })), { taskTimeoutMs: 50 });
    const outcome = await w.run();
    expect(outcome).toMatchObject({ reason: 'run-ended', snapshot: { status: 'failed' } });
    const failed = (await events(backend)).filter((event) => (event.event === 'task-requeued' || event.event === 'task-failed') && event.taskId === ids[0]);
    expect(failed.map((event) => (event as { error: { kind: string } }).error.kind)).toEqual(['timeout', 'timeout']);
  });

  it('close() stops the agents and gives their attempts back (no attempt charged); the run stays unfinished for another worker', async () => {
    const { backend, ids } = await seededBackend([{ type: 'long' }]);
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const w = await worker(backend, (_task, _context, signal) => {
      started();
      return new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    });
    expect(w.state).toBe('created');
    const outcome = w.run();
    expect(w.state).toBe('running');
    await running;
    await w.close();
    expect(await outcome).toEqual({ reason: 'stopped' });
    expect(w.state).toBe('stopped');
    const task = (await backend.readRun(RUN))!.tasks.find((t) => t.id === ids[0]);
    expect(task).toMatchObject({ status: 'pending', attempts: 0 });
    expect((await events(backend)).some((event) => event.event === 'run-finished')).toBe(false);
    await w.close(); // idempotent
  });

  it('a cancel through the port stops the agents of a worker whose leases never expire (no heartbeat), and the worker returns with the run cancelled', async () => {
    const { backend } = await seededBackend([{ type: 'long' }]);
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    let aborted = false;
    const w = await worker(
      backend,
      async (_task, _context, signal) => {
        started();
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
        aborted = true;
      },
      { leaseMs: Number.POSITIVE_INFINITY, abortGraceMs: 50 },
    );
    const outcome = w.run();
    await running;
    expect(await backend.cancelRun(RUN, { by: 'dashboard', address: '127.0.0.1' })).toEqual({ ok: true });
    expect(await outcome).toMatchObject({ reason: 'run-ended', snapshot: { status: 'cancelled' } });
    expect(aborted).toBe(true);
    // The attempt was given back by the cancel: nothing of the stopped agent is recorded after it.
    expect((await events(backend)).at(-1)).toMatchObject({ event: 'run-finished', verdict: 'cancelled' });
  });

  describe('an agent that never exits, even when stopped, cannot wedge the worker: the grace period ends its attempt', () => {
    const stuck = (started: () => void) => () => {
      started();
      return new Promise<void>(() => {});
    };
    const barrier = () => {
      let open!: () => void;
      const opened = new Promise<void>((resolve) => (open = resolve));
      return { open, opened };
    };

    it('at the task timeout', async () => {
      const { backend } = await seededBackend([{ type: 'stuck', maxAttempts: 1 }]);
      const w = await worker(backend, stuck(() => {}), { taskTimeoutMs: 20, abortGraceMs: 10 });
      expect(await w.run()).toMatchObject({ reason: 'run-ended', snapshot: { status: 'failed' } });
    });

    it('at a shutdown (close)', async () => {
      const { backend } = await seededBackend([{ type: 'stuck' }, { type: 'stuck-too' }]);
      const { open, opened } = barrier();
      let running = 0;
      const w = await worker(backend, stuck(() => ++running === 2 && open()), { concurrency: 2, abortGraceMs: 10 });
      const outcome = w.run();
      await opened;
      await w.close();
      expect(await outcome).toEqual({ reason: 'stopped' });
      expect((await backend.readRun(RUN))!.tasks.map((task) => task.status)).toEqual(['pending', 'pending']);
    });

    it('at a cancel through the port', async () => {
      const { backend } = await seededBackend([{ type: 'stuck' }]);
      const { open, opened } = barrier();
      const w = await worker(backend, stuck(open), { leaseMs: Number.POSITIVE_INFINITY, abortGraceMs: 10 });
      const outcome = w.run();
      await opened;
      expect(await backend.cancelRun(RUN, { by: 'dashboard', address: '127.0.0.1' })).toEqual({ ok: true });
      expect(await outcome).toMatchObject({ reason: 'run-ended', snapshot: { status: 'cancelled' } });
    });

    it('at a lost lease', async () => {
      const { backend, ids } = await seededBackend([{ type: 'stuck' }]);
      let claimedBy!: (worker: string) => void;
      const claimed = new Promise<string>((resolve) => (claimedBy = resolve));
      let lost = 0;
      const w = await worker(backend, stuck(() => {}), {
        heartbeatMs: 20,
        abortGraceMs: 10,
        onNotice: (notice) => {
          if (notice.kind === 'claimed' && notice.ref.attempt === 1) claimedBy(notice.ref.worker);
          if (notice.kind === 'lease-lost' && ++lost === 1) void w.close();
        },
      });
      const outcome = w.run();
      expect(await backend.finishAttempt({ runId: RUN, taskId: ids[0]!, attempt: 1, worker: await claimed }, { kind: 'interrupted' })).toBe('applied');
      expect(await outcome).toEqual({ reason: 'stopped' });
      expect(lost).toBeGreaterThanOrEqual(1);
    });
  });

  it('a cancel that drops the lease after the agent has returned arms no grace period: nothing is left to stop, and no timer holds the process', async () => {
    const { backend } = await seededBackend([{ type: 'quiet' }]);
    // The attempt is being ended (its commit in flight) when the dashboard's cancel drops its lease.
    const finishAttempt = backend.finishAttempt.bind(backend);
    let ending!: () => void;
    const inFinish = new Promise<void>((resolve) => (ending = resolve));
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    backend.finishAttempt = async (ref, end) => {
      ending();
      await released;
      return finishAttempt(ref, end);
    };
    // A grace period no other timer of the worker has, to recognise it by.
    const graceMs = 987_654;
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    try {
      // The agent returns without reporting: the task stays running, so the cancel finds its lease.
      const w = await worker(backend, async () => {}, { leaseMs: Number.POSITIVE_INFINITY, abortGraceMs: graceMs });
      const outcome = w.run();
      await inFinish;
      expect(await backend.cancelRun(RUN, { by: 'dashboard', address: '127.0.0.1' })).toEqual({ ok: true });
      release();
      expect(await outcome).toMatchObject({ reason: 'run-ended', snapshot: { status: 'cancelled' } });
      expect(setTimeoutSpy.mock.calls.filter(([, ms]) => ms === graceMs)).toEqual([]);
    } finally {
      setTimeoutSpy.mockRestore();
    }
  });

  it('two live workers cannot share a state dir (one would reap the other\'s agents): the second fails with state-locked and is stopped', async () => {
    const { backend } = await seededBackend([{ type: 'long' }]);
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const stateDir = await mkdtemp(join(tmpdir(), 'drover-runner-shared-'));
    const first = await worker(
      backend,
      (_task, _context, signal) => {
        started();
        return new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      },
      { stateDir },
    );
    const outcome = first.run();
    await running;
    const second = await worker(backend, async () => {}, { stateDir });
    await expect(second.run()).rejects.toMatchObject({ code: 'state-locked' });
    expect(second.state).toBe('stopped');
    await first.close();
    await outcome;
  });

  it('an agent still exiting after it reported is not a lost lease: its attempt ends normally and its log is kept', async () => {
    const { backend, ids } = await seededBackend([{ type: 'slow-exit' }]);
    const notices: string[] = [];
    let beats = 0;
    const counted = new Promise<void>((resolve) => {
      const heartbeat = backend.heartbeat.bind(backend);
      backend.heartbeat = async (ref, leaseMs) => {
        const held = await heartbeat(ref, leaseMs);
        if (!held && ++beats >= 1) resolve();
        return held;
      };
    });
    const w = await worker(
      backend,
      async (_task, context) => {
        await context.tools.complete_task({ status: 'done', handoff: handoff('reported') });
        // Still exiting (a real CLI flushing its output) while a heartbeat finds the task done;
        // one turn of the event loop lets the worker act on that beat before the agent returns.
        await counted;
        await new Promise<void>((resolve) => setImmediate(resolve));
      },
      { heartbeatMs: 20, onNotice: (notice) => notices.push(notice.kind === 'attempt-ended' ? `ended ${notice.fence}` : notice.kind) },
    );
    expect(await w.run()).toMatchObject({ reason: 'run-ended', snapshot: { status: 'done' } });
    expect(notices).not.toContain('lease-lost');
    expect(notices).toContain('ended applied');
    expect((await backend.readAllHandoffs(RUN)).map((h) => [h.taskId, h.did])).toEqual([[ids[0], 'reported']]);
  });

  it('a heartbeat that never settles (a half-open connection) still ends in a lost lease once a whole lease has passed', async () => {
    const { backend } = await seededBackend([{ type: 'hung' }]);
    const lost: string[] = [];
    let hungWorker: string | undefined;
    const heartbeat = backend.heartbeat.bind(backend);
    backend.heartbeat = (ref, leaseMs) => {
      hungWorker ??= ref.worker;
      return ref.worker === hungWorker ? new Promise<boolean>(() => {}) : heartbeat(ref, leaseMs);
    };
    const w = await worker(
      backend,
      async (_task, context, signal) => {
        if (lost.length === 0) {
          if (!signal.aborted) await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
          return;
        }
        await context.tools.complete_task({ status: 'done', handoff: handoff('after the hang') });
      },
      { leaseMs: 300, heartbeatMs: 20, onNotice: (notice) => notice.kind === 'lease-lost' && lost.push(notice.ref.taskId) },
    );
    expect(await w.run()).toMatchObject({ reason: 'run-ended', snapshot: { status: 'done' } });
    expect(lost).toHaveLength(1);
    expect((await backend.readAllHandoffs(RUN)).map((h) => h.did)).toEqual(['after the hang']);
  });

  it('stops the agent when a heartbeat says the lease is lost, and records nothing of that attempt', async () => {
    const { backend, ids } = await seededBackend([{ type: 'held' }]);
    const lost: string[] = [];
    const late: unknown[] = [];
    let lose!: (worker: string) => void;
    const claimedBy = new Promise<string>((resolve) => (lose = resolve));
    const w = await worker(
      backend,
      async (_task, context, signal) => {
        if (lost.length === 0) {
          if (!signal.aborted) await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
          // A late report from the stopped attempt: refused by the backend's fencing.
          late.push(await context.tools.complete_task({ status: 'done', handoff: handoff('late') }));
          return;
        }
        await context.tools.complete_task({ status: 'done', handoff: handoff('second') });
      },
      {
        heartbeatMs: 20,
        onNotice: (notice) => {
          if (notice.kind === 'claimed') lose(notice.ref.worker);
          if (notice.kind === 'lease-lost') lost.push(notice.ref.taskId);
        },
      },
    );
    const outcome = w.run();
    // Another party ends the lease (as the reaper does when heartbeats stop landing).
    expect(await backend.finishAttempt({ runId: RUN, taskId: ids[0]!, attempt: 1, worker: await claimedBy }, { kind: 'interrupted' })).toBe('applied');
    expect(await outcome).toMatchObject({ reason: 'run-ended', snapshot: { status: 'done' } });
    expect(lost).toEqual([ids[0]]);
    expect(late.every((outcome) => (outcome as { ok: boolean }).ok === false)).toBe(true);
    expect((await backend.readAllHandoffs(RUN)).map((h) => h.did)).toEqual(['second']);
  });

  it("holds a task's write scope until its agent has exited, not just reported, while a task outside it runs alongside", async () => {
    const { backend, ids } = await seededBackend([{ type: 'edit-src', writes: ['src/**'] }, { type: 'edit-file', writes: ['src/a.ts'] }, { type: 'docs', writes: ['docs/**'] }]);
    const order: string[] = [];
    let docsStarted!: () => void;
    const docsRunning = new Promise<void>((resolve) => (docsStarted = resolve));
    const w = await worker(
      backend,
      async (task, context) => {
        order.push(`start ${task.type}`);
        if (task.type === 'docs') docsStarted();
        await context.tools.complete_task({ status: 'done', handoff: handoff(task.id) });
        // Still writing after its report, until the task outside its scope has started alongside
        // (a worker that held that one back too never gets here): the overlapping one must wait.
        if (task.type === 'edit-src') await docsRunning;
        order.push(`exit ${task.type}`);
      },
      { concurrency: 3 },
    );
    expect(await w.run()).toMatchObject({ reason: 'run-ended', snapshot: { status: 'done' } });
    expect(order.indexOf('start docs')).toBeLessThan(order.indexOf('exit edit-src'));
    expect(order.indexOf('start edit-file')).toBeGreaterThan(order.indexOf('exit edit-src'));
    expect((await backend.readRun(RUN))!.tasks.map((task) => task.status)).toEqual(ids.map(() => 'done'));
  });

  it('on the local backend, a completion and the start it enables are staged into one store write (one commit), while the agent is still exiting', async () => {
    // A store that batches appends of one event-loop turn, as the file store's group commit does.
    const store = new MemoryStore();
    const batches: string[][] = [];
    let open: string[] | undefined;
    const append = store.append.bind(store);
    store.append = (events, state) => {
      if (open === undefined) {
        const batch: string[] = [];
        open = batch;
        batches.push(batch);
        setImmediate(() => (open = undefined));
      }
      open.push(...events.map((event) => `${event.event} ${'taskId' in event ? String(event.taskId) : ''}`.trim()));
      return append(events, state);
    };
    const { backend, ids } = await seededBackend([{ type: 'first' }, { type: 'second', dependsOn: [0] }], store);
    const w = await worker(backend, async (task, context) => {
      await context.tools.complete_task({ status: 'done', handoff: handoff(task.id) });
      await sleep(10);
    }, { leaseMs: Number.POSITIVE_INFINITY });
    expect(await w.run()).toMatchObject({ reason: 'run-ended', snapshot: { status: 'done' } });
    expect(batches.find((batch) => batch.includes(`task-completed ${ids[0]}`))).toContain(`task-started ${ids[1]}`);
  });

  it('the start backstop: past maxStartsPerTask × tasks starts of its run it starts nothing more and fails what is pending', async () => {
    const { backend, ids } = await seededBackend([{ type: 'x', maxAttempts: 100 }, { type: 'y', dependsOn: [0] }]);
    let calls = 0;
    const w = await worker(backend, async () => void (calls += 1), { maxStartsPerTask: 1 });
    expect(await w.run()).toMatchObject({ reason: 'run-ended', snapshot: { status: 'failed' } });
    expect(calls).toBe(2);
    const tasks = (await backend.readRun(RUN))!.tasks;
    expect(tasks.find((task) => task.id === ids[0])).toMatchObject({ status: 'failed', error: { kind: 'backstop' } });
    expect(tasks.find((task) => task.id === ids[1])).toMatchObject({ status: 'blocked' });
  });

  it('stops an agent whose refused calls pass the budget — refusals at the tool gate count too — and ends it as a runaway', async () => {
    const policy = { ...TEST_POLICY, limits: { ...TEST_POLICY.limits, maxRefusalsPerAttempt: 2 } };
    const { backend, ids } = await seededBackend([{ type: 'flood', maxAttempts: 1 }], new MemoryStore(), policy);
    let calls = 0;
    const w = await worker(
      backend,
      async (_task, context, signal) => {
        for (let i = 0; i < 50 && !signal.aborted; i += 1) {
          calls += 1;
          await context.tools.enqueue_task({ type: 'more', reason: 'again' });
        }
      },
      { prepare: async () => ({ prompt: '', allowedTools: ['complete_task'] }) },
    );
    expect(await w.run()).toMatchObject({ reason: 'run-ended', snapshot: { status: 'failed' } });
    expect(calls).toBe(3);
    expect((await backend.readRun(RUN))!.tasks.find((task) => task.id === ids[0])).toMatchObject({ status: 'failed', error: { kind: 'runaway' } });
  });
});
