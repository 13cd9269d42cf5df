import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import type { AgentRuntime } from '../agents/agent-runtime.js';
import { ARTIFACT_LOG_TAIL_BYTES, DEFAULT_LEASE_MS, type AttemptEnd, type AttemptRef, type Backend, type ClaimedAttempt, type FenceResult } from '../backend/backend.js';
import { DroverError, isDroverError } from '../errors/drover-error.js';
import type { PreparedTask } from './prepared-task.js';
import type { Handoff } from '../queue/handoff.js';
import type { QueueSnapshot } from '../queue/snapshot.js';
import type { Task } from '../queue/task.js';
import type { QueueOperations } from '../queue/queue-operations.js';
import { acquireStateLock } from '../store/file/state-lock.js';
import { backendOperations } from '../tools/backend-operations.js';
import type { McpEndpoint, McpGrant } from '../tools/mcp/mcp-endpoint.js';
import { QUEUE_TOOL_NAMES } from '../queue/queue-tool-names.js';
import { createToolSession } from '../tools/tool-session.js';
import { setLongTimeout } from '../util/long-timeout.js';
import { workerWorkspaces, type Workspace } from '../workspace/index.js';
import { finishRunIfDone } from './finish-run-if-done.js';
import { nextWorkerState, type WorkerState, type WorkerTransition } from './worker-lifecycle.js';

export type { WorkerState } from './worker-lifecycle.js';

/** Builds an attempt's prompt; `workspace` is where this worker keeps the task's run (the prompt is saved there). */
export type PrepareAttempt = (task: Task, attempt: number, upstream: ReadonlyArray<{ task: Task; handoff: Handoff }>, workspace: Workspace) => Promise<PreparedTask>;

export interface WorkerOptions {
  readonly backend: Backend;
  readonly agent: AgentRuntime;
  /** The checkout the agents work in, on this machine (drover copies no repositories). */
  readonly workdir: string;
  /**
   * This worker's own directory: per run (`runs/<runId>/`) the prompts, agent logs, MCP configs
   * and live agent process records. Locked while the worker runs: two live workers never share one.
   */
  readonly stateDir: string;
  readonly prepare?: PrepareAttempt;
  /** Work this run only, and return once it has ended; without it, claim from every running run until stopped. */
  readonly runId?: string;
  /**
   * The workspace an attempt of this run writes in (its prompt, agent log, markers, MCP config,
   * live agent process records). Default a `stateDirWorkspace` at `<stateDir>/runs/<runId>/`; the
   * local `drover run` passes one over its state dir, so the layout stays the one SPEC.md describes.
   */
  readonly workspace?: (runId: string) => Workspace;
  /**
   * The caller already holds the state dir's lock and has reaped the agents a dead predecessor
   * left running (the local `drover run`, whose store holds the lock): the worker takes no lock
   * and reaps nothing itself. Default false.
   */
  readonly stateDirHeld?: boolean;
  /**
   * With `runId`: the caller seeded the run before starting the worker (the local run, whose
   * library callers may never mark it seeded), so the run may end without its `run-seeded` mark.
   */
  readonly assumeSeeded?: boolean;
  /**
   * Save each attempt's prompt and log tail with the backend (default true). The local run keeps
   * them as files in its state dir already (`prompts/<id>.md`, `logs/<id>.log`).
   */
  readonly saveArtifacts?: boolean;
  /**
   * With `runId`: total starts allowed, as a multiple of the run's task count (default 10), so
   * nothing loops forever. Past it the worker stops starting tasks of the run, and once its
   * attempts have ended fails what is still pending (`backstop`).
   */
  readonly maxStartsPerTask?: number;
  /**
   * The seeders this worker has (`queue/seed-task.ts`): it claims a run's seed task only when it
   * has that seed task's seeder, and `agent` must then run it (see `programs/seed-step.ts`).
   */
  readonly seeders?: readonly string[];
  /**
   * The programs this worker serves (`RunIdentity.program`: `integrate`, `fanout:<digest>`): it
   * claims only from runs created with one of them. Default: any run.
   */
  readonly programs?: readonly string[];
  /** Claim only tasks of these types (default every type). */
  readonly types?: readonly string[];
  /** The lease owner's name; default `<host>-<pid>-<random>`. */
  readonly workerId?: string;
  /** Attempts at once (default 1). */
  readonly concurrency?: number;
  /**
   * How long a claim lasts without a heartbeat (default 30 s); a dead worker's tasks are given
   * back this long after it died. `Infinity` (the local run: one process) claims leases that never
   * expire, and sends no heartbeats.
   */
  readonly leaseMs?: number;
  /** How often each lease is extended (default a third of `leaseMs`). */
  readonly heartbeatMs?: number;
  /** The fallback poll while waiting for work, for a lost notification (default 2 s). */
  readonly pollMs?: number;
  /** Per-attempt wall-clock limit; the agent is stopped when it passes. */
  readonly taskTimeoutMs?: number;
  /** After an abort, how long to wait for the agent to stop before moving on without it. */
  readonly abortGraceMs?: number;
  /** Serve each attempt's tools over MCP too, with a token bound to the attempt that dies with its lease. */
  readonly mcp?: McpEndpoint;
  /** Stop claiming, stop the agents, give their attempts back. */
  readonly signal?: AbortSignal;
  readonly onActivity?: (ref: AttemptRef, line: string) => void;
  /** What the worker did, for a log or a progress line. */
  readonly onNotice?: (notice: WorkerNotice) => void;
}

export type WorkerNotice =
  | { readonly kind: 'reaped'; readonly pgids: readonly number[] }
  | { readonly kind: 'claimed'; readonly ref: AttemptRef; readonly task: Task }
  | { readonly kind: 'lease-lost'; readonly ref: AttemptRef }
  | { readonly kind: 'attempt-ended'; readonly ref: AttemptRef; readonly end: AttemptEnd; readonly fence: FenceResult | 'unknown' }
  | { readonly kind: 'run-ended'; readonly runId: string; readonly status: QueueSnapshot['status'] }
  | { readonly kind: 'retrying'; readonly what: string; readonly message: string; readonly inMs: number };

/** Why `run()` returned: the one run it worked has ended (its final snapshot), or the worker was stopped. */
export type WorkerOutcome = { readonly reason: 'run-ended'; readonly snapshot: QueueSnapshot } | { readonly reason: 'stopped' };

/** The longest wait between retries while the database is away. */
const MAX_BACKOFF_MS = 10_000;

/**
 * A worker on the backend port: claims ready tasks (of one run, or of any running run) up to its
 * concurrency, runs a fresh agent per attempt in its workdir, heartbeats each lease and stops the
 * agent when the lease is lost, enforces the task timeout, and ends every attempt with a fenced
 * `finishAttempt` (stopped ones are given back, costing no attempt). When a run it works has
 * nothing pending or running, it records the verdict; with many workers, one verdict is recorded.
 * Any number of workers, in any number of processes on any number of machines, may work one run.
 * Lifecycle: see `worker-lifecycle.ts`.
 */
export class Worker implements AsyncDisposable {
  readonly id: string;
  readonly #options: WorkerOptions;
  readonly #stop = new AbortController();
  /** Every attempt whose agent has not exited yet (or whose end is still being recorded). */
  readonly #active = new Map<Promise<void>, Live>();
  /** The live attempt of each `runId\0taskId`, for the backend's settled notifications. */
  readonly #byTask = new Map<string, Live>();
  /** Attempts holding a slot: started, and their task has not reported a final result yet. */
  #slots = 0;
  #state: WorkerState = 'created';
  #running: Promise<WorkerOutcome> | undefined;
  #fatal: { readonly error: unknown } | undefined;
  #claims = 0;
  /** The current round's wake-up: an attempt that ended or settled calls it. */
  #wake: () => void = () => {};
  /** Directories made for attempts so far. */
  readonly #dirs = new Set<string>();
  /** Stops each live attempt's agent as interrupted: called once, when the worker is stopped (one listener for all attempts). */
  readonly #interrupts = new Set<() => void>();

  constructor(options: WorkerOptions) {
    this.#options = options;
    this.id = options.workerId ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  }

  get state(): WorkerState {
    return this.#state;
  }

  /** Works until the one run ends (with `runId`) or the worker is stopped. Call once. */
  run(): Promise<WorkerOutcome> {
    if (this.#state !== 'created') throw new DroverError('internal', `Worker.run() called while ${this.#state}`);
    this.#move('run');
    this.#running = this.#work();
    return this.#running;
  }

  /** Stops claiming, stops the agents, gives their attempts back, and waits for all of it. Idempotent. */
  async close(): Promise<void> {
    if (this.#state === 'created') {
      this.#move('stop');
      return;
    }
    if (this.#state === 'running') this.#move('stop');
    this.#stop.abort();
    await this.#running?.catch(() => undefined);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #move(on: WorkerTransition): void {
    const next = nextWorkerState(this.#state, on);
    if (next === undefined) throw new DroverError('internal', `worker: "${on}" is not allowed while ${this.#state}`);
    this.#state = next;
  }

  async #work(): Promise<WorkerOutcome> {
    const options = this.#options;
    const stateDir = resolve(options.stateDir);
    const signal = AbortSignal.any([this.#stop.signal, ...(options.signal !== undefined ? [options.signal] : [])]);
    // The fallback polls listen on it too: more than Node's default of 10 at a concurrency of 8 and up.
    setMaxListeners(0, signal);
    const onStop = (): void => {
      if (this.#state === 'running') this.#move('stop');
      for (const interrupt of [...this.#interrupts]) interrupt();
    };
    signal.addEventListener('abort', onStop, { once: true });
    let unlock: (() => Promise<void>) | undefined;
    // A completion staged in this process frees its slot at once, so the start it enables joins its commit.
    const unsettle = options.backend.onTaskSettled?.((runId, taskId) => {
      const live = this.#byTask.get(`${runId}\0${taskId}`);
      if (live !== undefined) this.#release(live);
    });
    // Leases the backend dropped itself (a cancel through the port): their agents are stopped as a lost heartbeat would.
    const undropped = options.backend.onLeasesDropped?.((refs) => {
      for (const ref of refs) {
        const live = this.#byTask.get(`${ref.runId}\0${ref.taskId}`);
        if (live !== undefined && live.ref.attempt === ref.attempt && live.ref.worker === ref.worker) live.leaseLost?.();
      }
    });
    try {
      if (options.stateDirHeld !== true) {
        await mkdir(stateDir, { recursive: true });
        unlock = await acquireStateLock(join(stateDir, 'lock'));
        // A predecessor killed with SIGKILL may have left agents editing the workdir: kill them before anything starts.
        const pgids = await workerWorkspaces(stateDir).reapOrphanedProcessGroups();
        if (pgids.length > 0) options.onNotice?.({ kind: 'reaped', pgids });
      }
      const outcome = await this.#loop(stateDir, signal);
      // Stopped: the attempts are being ended (given back). One that could not be (the state dir unwritable, or the
      // database still away when the stop came) is what `run()` reports, not a clean stop.
      this.#stop.abort();
      await Promise.allSettled(this.#active.keys());
      if (this.#fatal !== undefined) throw this.#fatal.error;
      return outcome;
    } finally {
      this.#stop.abort();
      await Promise.allSettled(this.#active.keys());
      unsettle?.();
      undropped?.();
      signal.removeEventListener('abort', onStop);
      if (this.#state !== 'stopped') this.#move('ended');
      await unlock?.();
    }
  }

  async #loop(stateDir: string, signal: AbortSignal): Promise<WorkerOutcome> {
    const options = this.#options;
    const concurrency = Math.max(1, options.concurrency ?? 1);
    const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    const pollMs = options.pollMs ?? 2000;
    const workspaceOf = options.workspace ?? lastRunWorkspace((runId) => workerWorkspaces(stateDir).forRun(runId));
    const backstop = options.runId === undefined ? undefined : new Backstop(options.backend, options.runId, options.maxStartsPerTask ?? 10);
    // Runs whose attempts ended here since they were last looked at: one of them may now be done.
    const touched = new Set<string>(options.runId !== undefined ? [options.runId] : []);
    let failures = 0;
    // The fallback poll outlives a round: made again only once it has ended, not at every wake-up.
    let poll: Promise<void> | undefined;
    while (!signal.aborted && this.#fatal === undefined) {
      // Made before claiming, so an attempt that ends (or settles) while this round runs still wakes the wait below.
      const woken = new Promise<void>((resolve) => (this.#wake = resolve));
      let reopened = false;
      try {
        let claimedNone = false;
        while (!signal.aborted && this.#fatal === undefined && this.#slots < concurrency) {
          const allowed = backstop === undefined ? concurrency - this.#slots : Math.min(concurrency - this.#slots, await backstop.startsLeft());
          if (allowed <= 0) {
            claimedNone = true;
            break;
          }
          // Each claim has its own lease owner name: a task this worker lost and claims again is a new attempt under the
          // same number (a lost lease costs none), and only the owner name fences the old attempt's late calls off.
          this.#claims += 1;
          const busyScopes = [...this.#active.values()].flatMap((live) => (live.scope !== undefined ? [live.scope] : []));
          const claimed = await options.backend.claim({ worker: `${this.id}/${this.#claims}`, max: allowed, leaseMs, runId: options.runId, ...(busyScopes.length > 0 ? { busyScopes } : {}), ...(options.seeders !== undefined ? { seeders: options.seeders } : {}), ...(options.programs !== undefined ? { programs: options.programs } : {}), ...(options.types !== undefined ? { types: options.types } : {}) });
          backstop?.started(claimed);
          for (const attempt of claimed) this.#start(attempt, workspaceOf(attempt.runId), leaseMs, signal, (runId) => {
            touched.add(runId);
            this.#wake();
          });
          if (claimed.length === 0) {
            claimedNone = true;
            break;
          }
        }
        if (options.runId !== undefined && claimedNone && this.#active.size === 0) touched.add(options.runId);
        for (const runId of [...touched]) {
          // An attempt of the run is still live here: it is not done yet, and this attempt's end will touch it again.
          if (this.#liveIn(runId)) continue;
          touched.delete(runId);
          if (backstop !== undefined && runId === backstop.runId && backstop.tripped) await backstop.abandonPending();
          const ended = await finishRunIfDone(options.backend, runId, options.assumeSeeded === true && runId === options.runId);
          if (ended === undefined) continue;
          // A retry reopened the run while its verdict was being recorded: it has work again, so look at it again at once.
          if (ended.status === 'running') {
            touched.add(runId);
            reopened = true;
            continue;
          }
          if (runId !== options.runId) continue;
          if (this.#active.size > 0) continue;
          options.onNotice?.({ kind: 'run-ended', runId, status: ended.status });
          return { reason: 'run-ended', snapshot: ended };
        }
        failures = 0;
      } catch (error) {
        if (!isTransient(error)) throw error;
        // The database is away (restarting, a network cut): say so, and try again with backoff.
        failures += 1;
        const inMs = Math.min(MAX_BACKOFF_MS, 200 * 2 ** Math.min(failures, 6));
        options.onNotice?.({ kind: 'retrying', what: 'claim', message: messageOf(error), inMs });
        if (options.runId !== undefined) touched.add(options.runId);
        await options.backend.waitForWork(inMs, signal).catch(() => undefined);
        continue;
      }
      if (reopened) continue;
      poll ??= options.backend.waitForWork(pollMs, signal).finally(() => (poll = undefined));
      await Promise.race([poll, woken]);
      if (options.runId !== undefined && this.#active.size === 0) touched.add(options.runId);
    }
    if (this.#fatal !== undefined) throw this.#fatal.error;
    return { reason: 'stopped' };
  }

  #start(claimed: ClaimedAttempt, workspace: Workspace, leaseMs: number, signal: AbortSignal, ended: (runId: string) => void): void {
    const ref: AttemptRef = { runId: claimed.runId, taskId: claimed.taskId, attempt: claimed.attempt, worker: claimed.worker };
    this.#options.onNotice?.({ kind: 'claimed', ref, task: claimed.task });
    const scope = claimed.task.writes !== undefined && claimed.task.writes.length > 0 ? claimed.task.writes : undefined;
    const live: Live = { ref, key: `${ref.runId}\0${ref.taskId}`, holdsSlot: true, ...(scope !== undefined ? { scope } : {}) };
    this.#slots += 1;
    this.#byTask.set(live.key, live);
    const run: Promise<void> = this.#attempt(claimed, ref, workspace, leaseMs, signal, () => this.#release(live), (lost) => (live.leaseLost = lost))
      .catch((error: unknown) => this.#failed(error))
      .finally(() => {
        this.#active.delete(run);
        if (this.#byTask.get(live.key) === live) this.#byTask.delete(live.key);
        // Its write scope is released only now: the agent may still have been writing after it reported.
        this.#release(live);
        ended(ref.runId);
      });
    this.#active.set(run, live);
  }

  /** The attempt's task reported its final result (or the attempt ended): its slot is free for the next claim. */
  #release(live: Live): void {
    if (!live.holdsSlot) return;
    live.holdsSlot = false;
    this.#slots -= 1;
    this.#wake();
  }

  #liveIn(runId: string): boolean {
    for (const live of this.#active.values()) if (live.ref.runId === runId) return true;
    return false;
  }

  /** drover itself cannot go on (a persistence failure, a bug): stop claiming, stop the agents (their attempts are given back), and `run()` rejects with it. */
  #failed(error: unknown): void {
    this.#fatal ??= { error };
    this.#stop.abort();
    this.#wake();
  }

  async #attempt(claimed: ClaimedAttempt, ref: AttemptRef, workspace: Workspace, leaseMs: number, runSignal: AbortSignal, settled: () => void, onLeaseLost: (lost: () => void) => void): Promise<void> {
    const options = this.#options;
    const { backend } = options;
    const controller = new AbortController();
    // Every stop of the agent goes through here, so the grace period starts without a listener on the signal.
    let graceStarts: (() => void) | undefined;
    const stop = (why: Stop['why']): void => {
      if (controller.signal.aborted) return;
      controller.abort(new Stop(why));
      graceStarts?.();
    };
    const interrupt = (): void => stop('interrupted');
    this.#interrupts.add(interrupt);
    if (runSignal.aborted) interrupt();
    let grant: McpGrant | undefined;
    // The agent reported its final result: the task is no longer `running`, so a heartbeat says
    // "not held" while the agent is still exiting. That is the attempt ending, not a lost lease.
    let reported = false;
    const leaseLost = (): void => {
      if (reported) {
        heartbeat?.stop();
        return;
      }
      if (controller.signal.aborted) return;
      // The token dies first, so nothing the agent sends after this point is even looked at.
      grant?.revoke();
      options.onNotice?.({ kind: 'lease-lost', ref });
      stop('lease-lost');
    };
    onLeaseLost(leaseLost);
    // A lease that never expires (the local run) needs no heartbeat.
    const heartbeat = Number.isFinite(leaseMs)
      ? startHeartbeat(backend, ref, leaseMs, options.heartbeatMs ?? Math.max(50, Math.floor(leaseMs / 3)), leaseLost, (message, inMs) => options.onNotice?.({ kind: 'retrying', what: `heartbeat of ${ref.taskId}`, message, inMs }))
      : undefined;
    const cancelTimer = options.taskTimeoutMs === undefined ? undefined : setLongTimeout(() => stop('timeout'), options.taskTimeoutMs);
    const saveArtifacts = options.saveArtifacts ?? true;
    let end: AttemptEnd = { kind: 'returned' };
    let persistenceFailure: unknown;
    try {
      // The worker's own layout is made here; a caller that maps runs to workspaces (`workspace`) made them.
      if (options.workspace === undefined && !this.#dirs.has(workspace.root)) {
        await mkdir(workspace.root, { recursive: true });
        this.#dirs.add(workspace.root);
      }
      const prepared: PreparedTask = options.prepare === undefined ? { prompt: '' } : await options.prepare(claimed.task, claimed.attempt, await backend.readUpstreamHandoffs(ref.runId, ref.taskId), workspace);
      if (saveArtifacts) await backend.saveArtifact(ref, 'prompt', prepared.prompt);
      // A runaway agent (past its budget of refused calls) is stopped like a timed-out one; the backend ends the attempt as `runaway`.
      const runaway = <T extends { readonly ok: boolean; readonly guard?: string }>(outcome: T): T => {
        if (!outcome.ok && outcome.guard === 'refusal-budget') stop('runaway');
        return outcome;
      };
      const caller = { kind: 'task', ...ref } as const;
      const ops = backendOperations(backend, ref.runId, caller);
      const watched: QueueOperations = {
        enqueue: async (request, by) => runaway(await ops.enqueue(request, by)),
        complete: async (by, status, handoff) => runaway(await ops.complete(by, status, handoff)),
        readHandoffs: (query, by) => ops.readHandoffs(query, by),
        async refuse(_by, tool, guard, message) {
          if ((await backend.refuse(caller, tool, guard, message)) === 'refusal-budget') stop('runaway');
        },
      };
      const session = createToolSession(watched, { kind: 'task', taskId: ref.taskId, attempt: ref.attempt }, prepared.allowedTools ?? QUEUE_TOOL_NAMES);
      const tools: typeof session = {
        ...session,
        async complete_task(input) {
          const outcome = await session.complete_task(input);
          // A failure with attempts left is held and the task stays `running`: heartbeats still hold the lease then, and its slot.
          if (outcome.ok && (outcome.value.status !== 'failed' || ref.attempt >= claimed.task.maxAttempts)) {
            reported = true;
            settled();
          }
          return outcome;
        },
      };
      if (!controller.signal.aborted) grant = options.mcp?.grant(tools);
      const context = {
        ...(grant !== undefined ? { mcp: { url: grant.url, token: grant.token } } : {}),
        ...(prepared.hints !== undefined ? { hints: prepared.hints } : {}),
        runId: ref.runId,
        attempt: ref.attempt,
        tools,
        prompt: prepared.prompt,
        promptFile: prepared.promptFile,
        installDir: resolve(options.workdir),
        stateDir: workspace.root,
        workspace: workspace.attempt(ref.taskId),
        report: (line: string) => options.onActivity?.(ref, line),
      };
      // Stopped (or the lease lost) while the prompt was being built: no agent is started.
      if (!controller.signal.aborted) {
        const running = options.agent.run(claimed.task, context, controller.signal);
        const graceMs = options.abortGraceMs ?? 5000;
        // Waits for the agent; once stopped, at most `graceMs` more, so a stuck agent cannot hold the run. The timer is
        // referenced on purpose: while a stuck agent is being given up on, the process must stay alive.
        await new Promise<void>((resolve, reject) => {
          let grace: NodeJS.Timeout | undefined;
          graceStarts = () => (grace ??= setTimeout(resolve, graceMs));
          if (controller.signal.aborted) graceStarts();
          running.then(
            () => {
              clearTimeout(grace);
              resolve();
            },
            (error: unknown) => {
              clearTimeout(grace);
              reject(error);
            },
          );
        });
      }
    } catch (error) {
      if (isPersistenceFailure(error)) persistenceFailure = error;
      end = { kind: 'threw', message: messageOf(error) };
    } finally {
      // The agent is done with (or given up on): a stop from now on (a cancel dropping the lease while the attempt is
      // being ended) has nothing to wait for, and must not leave a grace timer holding the process.
      graceStarts = undefined;
      grant?.revoke();
      heartbeat?.stop();
      cancelTimer?.();
      this.#interrupts.delete(interrupt);
    }
    const reason: unknown = controller.signal.reason;
    if (reason instanceof Stop && reason.why === 'timeout') end = { kind: 'timeout', afterMs: options.taskTimeoutMs ?? 0 };
    else if (reason instanceof Stop && reason.why === 'runaway') end = { kind: 'threw', message: 'stopped as a runaway agent' };
    else if (reason instanceof Stop) end = { kind: 'interrupted' };
    if (reason instanceof Stop && reason.why === 'lease-lost') {
      // Someone else may already run this task: nothing of this attempt is recorded.
      options.onNotice?.({ kind: 'attempt-ended', ref, end, fence: 'stale' });
      return;
    }
    if (persistenceFailure !== undefined) {
      // drover could not persist the run (full disk, read-only state dir): not the agent's failure. Stop everything
      // first (so nothing starts again), then give the attempt back if the backend can still take it.
      this.#failed(persistenceFailure);
      await backend.finishAttempt(ref, { kind: 'interrupted' }).catch(() => undefined);
      return;
    }
    if (saveArtifacts) {
      const log = await workspace.attempt(ref.taskId).readLogTail(ARTIFACT_LOG_TAIL_BYTES);
      if (log !== undefined) await retrying(() => backend.saveArtifact(ref, 'log', log), options, `saving the log of ${ref.taskId}`).catch(() => undefined);
    }
    // A transient failure past the retries leaves the attempt to the reaper; anything else (a persistence failure) stops the worker.
    const fence = await retrying(() => backend.finishAttempt(ref, end), options, `ending ${ref.taskId}`).catch((error: unknown) => {
      if (isTransient(error)) return 'unknown' as const;
      throw error;
    });
    options.onNotice?.({ kind: 'attempt-ended', ref, end, fence });
  }
}

/** `forRun` remembered for the last run asked for: a worker's attempts come mostly from one run, and each workspace costs path joins. */
function lastRunWorkspace(forRun: (runId: string) => Workspace): (runId: string) => Workspace {
  let last: { readonly runId: string; readonly workspace: Workspace } | undefined;
  return (runId) => {
    if (last?.runId !== runId) last = { runId, workspace: forRun(runId) };
    return last.workspace;
  };
}

/** An attempt of this worker whose agent has not exited yet. */
interface Live {
  readonly ref: AttemptRef;
  readonly key: string;
  /** Counts toward the concurrency: until its task reports a final result, or the attempt ends. */
  holdsSlot: boolean;
  /** Its task's write scope, held until the attempt has ended. */
  readonly scope?: readonly string[];
  /** Stops the agent: the backend says the lease is gone. */
  leaseLost?: () => void;
}

/**
 * The start backstop of one run: at most `maxStartsPerTask` times the run's task count starts
 * from this worker. The distinct tasks started so far are a lower bound of that count, so the
 * run is read (for its real count) only once the starts reach `maxStartsPerTask` times that
 * bound: never, in a run whose tasks start once or twice each.
 */
class Backstop {
  readonly runId: string;
  readonly #backend: Backend;
  readonly #perTask: number;
  readonly #seen = new Set<string>();
  #starts = 0;
  #tasks = 0;
  tripped = false;

  constructor(backend: Backend, runId: string, perTask: number) {
    this.#backend = backend;
    this.runId = runId;
    this.#perTask = perTask;
  }

  async startsLeft(): Promise<number> {
    if (this.tripped) return 0;
    if (this.#starts === 0) return Number.POSITIVE_INFINITY;
    this.#tasks = Math.max(this.#tasks, this.#seen.size);
    if (this.#starts >= this.#perTask * this.#tasks) this.#tasks = (await this.#backend.readRun(this.runId))?.tasks.length ?? 0;
    const left = this.#perTask * this.#tasks - this.#starts;
    if (left <= 0) this.tripped = true;
    return left;
  }

  started(claimed: readonly ClaimedAttempt[]): void {
    for (const attempt of claimed) if (attempt.runId === this.runId) this.#seen.add(attempt.taskId);
    this.#starts += claimed.length;
  }

  /** Fails what is still pending: it would never start. */
  async abandonPending(): Promise<void> {
    const snapshot = await this.#backend.readRun(this.runId);
    const stuck = (snapshot?.tasks ?? []).filter((task) => task.status === 'pending').map((task) => task.id);
    if (stuck.length > 0) await this.#backend.abandon(this.runId, stuck, `the run reached its limit of ${this.#perTask} starts per task and stopped starting tasks`);
    this.tripped = false;
  }
}

/**
 * drover could not persist the run (full disk, read-only or linked state dir): not the agent's
 * failure, so the attempt is given back and the worker stops (its `run()` rejects with it).
 */
function isPersistenceFailure(error: unknown): boolean {
  return isDroverError(error) && (error.code === 'state-unwritable' || error.code === 'state-corrupt');
}

/** Why an attempt's agent was stopped. */
class Stop extends Error {
  readonly why: 'interrupted' | 'timeout' | 'lease-lost' | 'runaway';
  constructor(why: 'interrupted' | 'timeout' | 'lease-lost' | 'runaway') {
    super(why);
    this.why = why;
  }
}

/**
 * Extends the lease every `everyMs`. A heartbeat that says the lease is gone calls `lost`; one
 * that fails (the database is away) is retried on the next beat, and once no beat has landed for
 * a whole lease — failed or still hanging — the lease is presumed gone (the reaper will have
 * given the task back).
 */
function startHeartbeat(backend: Backend, ref: AttemptRef, leaseMs: number, everyMs: number, lost: () => void, failed: (message: string, inMs: number) => void): { stop(): void } {
  let lastBeat = Date.now();
  let beating = false;
  const timer = setInterval(() => {
    // Checked before anything else, so a beat that never settles (a half-open connection) cannot
    // keep an agent running past a lease the reaper has already given to another worker.
    if (Date.now() - lastBeat >= leaseMs) {
      lost();
      return;
    }
    if (beating) return;
    beating = true;
    backend
      .heartbeat(ref, leaseMs)
      .then(
        (held) => {
          if (held) lastBeat = Date.now();
          else lost();
        },
        (error: unknown) => failed(messageOf(error), everyMs),
      )
      .finally(() => (beating = false));
  }, everyMs);
  return { stop: () => clearInterval(timer) };
}

/** Tries `call` up to 5 times with backoff while the database is away; a fenced refusal is an answer, not a failure. */
async function retrying<T>(call: () => Promise<T>, options: WorkerOptions, what: string): Promise<T> {
  for (let tries = 1; ; tries += 1) {
    try {
      return await call();
    } catch (error) {
      if (tries >= 5 || !isTransient(error)) throw error;
      const inMs = Math.min(MAX_BACKOFF_MS, 200 * 2 ** tries);
      options.onNotice?.({ kind: 'retrying', what, message: messageOf(error), inMs });
      await new Promise((resolve) => setTimeout(resolve, inMs));
    }
  }
}

/** A connection failure (the backend says `input-invalid` naming the database) or a socket error: worth retrying. */
function isTransient(error: unknown): boolean {
  if (error instanceof DroverError) return error.code === 'input-invalid' && error.message.startsWith('cannot use PostgreSQL');
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && (/^(ECONN|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN)/.test(code) || code.startsWith('57P') || code.startsWith('08'));
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}
