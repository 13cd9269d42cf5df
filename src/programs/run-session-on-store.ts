import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { Backend } from '../backend/backend.js';
import { DroverError, isDroverError } from '../errors/drover-error.js';
import type { EnqueuePolicy } from '../queue/decide-enqueue.js';
import { applyEvent } from '../queue/apply-event.js';
import { emptyQueueState, type QueueState } from '../queue/queue-state.js';
import { restoreQueueState } from '../queue/snapshot.js';
import { computeVerdict } from '../queue/verdict.js';
import { isTerminal } from '../queue/task.js';
import { SEED_TASK_ID, SEED_TASK_TYPE } from '../queue/seed-task.js';
import { finishRunIfDone } from '../runner/finish-run-if-done.js';
import { programSeedTask } from './seed-step.js';
import { resolveStateDir } from '../util/state-dir.js';
import type { DrainResult } from '../runner/drain-queue.js';
import { readEventsAfter } from '../backend/read-events-after.js';
import { ObserverFanout } from './observer-fanout.js';
import { openPostgresStore } from './open-postgres-store.js';
import { programWorker } from './program-worker.js';
import { runExitCode } from './run-exit-code.js';
import type { ProgramDefinition, SessionOptions, SessionResult, StoreOptions } from './run-session.js';

/**
 * `drover run --store URL`: creates the run in PostgreSQL with its seed task, then works it (the
 * seed task first: the program's seed step, through the port) as one worker among any others
 * (`drover worker --store URL --run ID`) until it ends. Observers follow the run's event stream
 * (`watchEvents`), so they see what every worker does. Stopped (Ctrl-C), this process gives its
 * attempts back and exits 130; the run itself goes on in the database, for the other workers or
 * a `drover worker --run ID` started later.
 */
export async function runSessionOnStore(options: SessionOptions & { readonly store: StoreOptions }, program: ProgramDefinition, policy: EnqueuePolicy): Promise<SessionResult> {
  const startedAt = Date.now();
  const installDir = resolve(options.installDir);
  const stateDir = resolveStateDir(installDir, options.stateDir);
  const observers = new ObserverFanout(options.observers ?? []);
  // The pool is sized for the attempts this process runs; queries time out after a lease. The run's signal ends the
  // backend's retry waits, so Ctrl-C during a database outage stops at once rather than after the backoff.
  const backend: Backend = await openPostgresStore(options.store.url, policy, {
    concurrency: options.concurrency ?? 1,
    ...(options.store.leaseMs !== undefined ? { leaseMs: options.store.leaseMs } : {}),
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
    onRetry: (retry) => observers.notice(`database unreachable (${retry.operation}: ${retry.error.message}); retrying in ${Math.round(retry.delayMs / 100) / 10}s`),
  });
  const mcp = options.serveMcp === true ? new (await import('../tools/mcp/mcp-endpoint.js')).McpEndpoint() : undefined;
  const watching = new AbortController();
  try {
    await mcp?.listen();
    const runId = randomUUID();
    const detected = await program.detect();
    const state = emptyQueueState();
    observers.runStart({ program: program.name, runId, installDir, stateDir, detected, resumed: false, startedAt, events: (after) => readEventsAfter(backend, runId, after), kept: { kind: 'store' } }, state);
    // The seed step is the run's seed task, created with the run: this process claims and runs it like any task (any
    // `drover worker` with the seeder may too, e.g. after this process was stopped while seeding).
    // The run names its program (the seeder's key: `integrate`, `fanout:<plan digest>`), so only workers that serve it claim its tasks.
    const key = program.seeder ?? program.name;
    await backend.createRun({ runId, installDir, detected, seed: programSeedTask(program, detected), program: key });
    const seedOnly = options.store.seedOnly === true;
    // --seed-only: run the seed task and nothing else, and stop once it has ended for good.
    const seedDone = new AbortController();
    // Whoever ran it: another worker may have taken the seed task (this process's attempt lost its lease, or a
    // drover worker without --run claimed it first), and then no attempt of this process ends with it.
    const follow = followEvents(backend, runId, state, observers, watching.signal, (now) => {
      if (!seedOnly) return;
      const seed = now.tasks.get(SEED_TASK_ID);
      if (now.meta.seeded || (seed !== undefined && isTerminal(seed.status))) seedDone.abort();
    });
    const worker = programWorker(backend, program.prompts, {
      agent: options.agent,
      seeders: new Map([[key, (ops, where) => program.seed(ops, where)]]),
      programs: [key],
      workdir: installDir,
      stateDir,
      runId,
      concurrency: seedOnly ? 1 : (options.concurrency ?? 1),
      ...(seedOnly ? { types: [SEED_TASK_TYPE] } : {}),
      ...(options.store.leaseMs !== undefined ? { leaseMs: options.store.leaseMs } : {}),
      ...(options.taskTimeoutMs !== undefined ? { taskTimeoutMs: options.taskTimeoutMs } : {}),
      signal: options.signal !== undefined ? AbortSignal.any([options.signal, seedDone.signal]) : seedDone.signal,
      ...(mcp !== undefined ? { mcp } : {}),
      onActivity: (ref, line) => observers.activity(ref.taskId, line),
      onNotice: (notice) => {
        if (!seedOnly || notice.kind !== 'attempt-ended' || notice.ref.taskId !== SEED_TASK_ID) return;
        void backend.readRun(runId).then((run) => {
          const seed = run?.tasks.find((task) => task.id === SEED_TASK_ID);
          if (run?.seeded === true || seed === undefined || isTerminal(seed.status)) seedDone.abort();
        }, () => seedDone.abort());
      },
    });
    let outcome: Awaited<ReturnType<typeof worker.run>>;
    let final: QueueState;
    try {
      outcome = await worker.run();
      const snapshot = outcome.reason === 'run-ended' ? outcome.snapshot : await backend.readRun(runId);
      final = restoreQueueState(snapshot!, await backend.readAllHandoffs(runId));
    } catch (error) {
      // Stopped while the database was away: no final snapshot can be read; exit 130 as `drover worker` does.
      if (options.signal?.aborted === true && isDroverError(error) && error.code === 'interrupted') {
        throw new DroverError('interrupted', 'stopped while the database was unreachable: attempts not given back return to the run when their leases end', { cause: error });
      }
      throw error;
    }
    if (seedOnly && seedDone.signal.aborted && options.signal?.aborted !== true) {
      // Seeded (or the seed failed for good, which ends the run failed): the workers take it from here.
      const ended = !final.meta.seeded ? await finishRunIfDone(backend, runId) : undefined;
      const now = ended !== undefined ? restoreQueueState(ended, await backend.readAllHandoffs(runId)) : final;
      await follow.until(now.meta.seq);
      const verdict = computeVerdict(now);
      return { verdict, exitCode: verdict.status === 'incomplete' ? 0 : runExitCode(verdict), runId, stateDir, resumed: false, archivedTo: undefined, warnings: [], state: now };
    }
    await follow.until(final.meta.seq);
    // Who cancelled the run is in its events (the followed state), not in the stored row.
    if (state.meta.cancel !== undefined) final.meta.cancel = state.meta.cancel;
    const verdict: DrainResult = final.meta.status === 'cancelled' ? interrupted(final, 'cancelled') : outcome.reason === 'stopped' ? interrupted(final) : computeVerdict(final);
    const exitCode = runExitCode(verdict);
    observers.runEnd({ verdict, exitCode, state: final, endedAt: Date.now() });
    return { verdict, exitCode, runId, stateDir, resumed: false, archivedTo: undefined, warnings: [], state: final };
  } finally {
    watching.abort();
    await mcp?.close();
    try {
      await backend.close();
    } finally {
      await observers.close();
    }
  }
}

function interrupted(state: QueueState, status: 'interrupted' | 'cancelled' = 'interrupted'): DrainResult {
  const verdict = computeVerdict(state);
  const unfinished = verdict.status === 'incomplete' ? verdict.unfinished : [];
  return { status, unfinished, failed: verdict.failed, blocked: verdict.blocked };
}

/**
 * Feeds the observers every event of the run, from the first, folded into `state` as they come;
 * `until(seq)` resolves once the observers have seen every event up to `seq`, and stops following.
 * `folded` is told the state after each event.
 */
function followEvents(backend: Backend, runId: string, state: QueueState, observers: ObserverFanout, signal: AbortSignal, folded?: (state: QueueState) => void): { until(seq: number): Promise<void> } {
  const stop = new AbortController();
  const both = AbortSignal.any([signal, stop.signal]);
  let last = Number.POSITIVE_INFINITY;
  const done = (async () => {
    for await (const event of backend.watchEvents(runId, 0, both)) {
      applyEvent(state, event);
      observers.event(event, state);
      folded?.(state);
      if (event.seq >= last) return;
    }
  })().catch(() => undefined); // the view is best-effort: a lost connection must not fail the run
  return {
    async until(seq) {
      last = seq;
      if (state.meta.seq >= seq) stop.abort();
      await done;
    },
  };
}
