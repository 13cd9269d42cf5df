import { DroverError } from '../../errors/drover-error.js';
import { RunQueue } from './run-queue.js';
import type { BatchEnqueue, EnqueuePolicy, EnqueueRequest } from '../../queue/decide-enqueue.js';
import type { ActionActor, GuardName, GuardTrippedEvent, QueueEvent } from '../../queue/events.js';
import type { Task } from '../../queue/task.js';
import type { Handoff } from '../../queue/handoff.js';
import { toSnapshot, type QueueSnapshot } from '../../queue/snapshot.js';
import { ancestors } from '../../queue/ancestors.js';
import { takeReadyOutsideScopes } from '../../queue/write-scopes.js';
import { claimableWith } from '../../queue/seed-task.js';
import { emptyQueueState } from '../../queue/queue-state.js';
import type { Store } from '../../store/store.js';
import { ARTIFACT_LOG_TAIL_BYTES } from '../backend.js';
import type { ActionOutcome, ArtifactKind, AttemptEnd, AttemptRef, Backend, BackendCaller, BackendState, ClaimedAttempt, ClaimRequest, FenceResult, HandoffFields, HandoffQuery, Outcome, RunIdentity, RunSummary } from '../backend.js';
import { logTail } from '../log-tail.js';
import { cloneJson } from '../../util/clone-json.js';
import { SignalBoard } from '../signal-board.js';
import { watchEvents } from '../watch-events.js';

export interface LocalBackendOptions {
  /** How often expired leases are looked for. Default 1000 ms. */
  readonly reaperIntervalMs?: number;
  readonly now?: () => Date;
  /**
   * Keep the run's events in memory for `readEvents` / `watchEvents` (default true). The local
   * run turns it off: its observers subscribe to the `RunQueue` itself, and a copy of every
   * event would grow with the run.
   */
  readonly retainEvents?: boolean;
}

/** What `leaseExpiresAt` says of a lease that never expires (`leaseMs: Infinity`). */
const NEVER = new Date(8.64e15).toISOString();

interface Lease {
  readonly attempt: number;
  readonly worker: string;
  expiresAt: number;
}

/**
 * The embedded backend: today's single writer (`RunQueue` over a `Store`) behind the port. One
 * process, one run. Leases live in memory — any worker of this process may hold one — so the
 * port's fencing and lease expiry behave as they do on PostgreSQL; a dead process loses every
 * lease at once, which `resumeRun` handles as `RunQueue.recover` always has.
 *
 * Events are kept from the moment this backend opened the run; older ones are in the store's
 * journal (`audit.jsonl`), which the runner reads at recovery.
 */
export class LocalBackend implements Backend {
  readonly #store: Store;
  readonly #policy: EnqueuePolicy;
  readonly #now: () => Date;
  readonly #leases = new Map<string, Lease>();
  readonly #events: QueueEvent[] = [];
  readonly #board = new SignalBoard();
  readonly #reaper: NodeJS.Timeout;
  /** Saved artifacts by `taskId\0kind`, with the attempt that saved them. */
  readonly #artifacts = new Map<string, { readonly attempt: number; readonly text: string }>();
  /** `taskId#attempt` of attempts whose refusals went past the budget: they end as `runaway`. */
  readonly #runaways = new Set<string>();
  readonly #settledListeners = new Set<(runId: string, taskId: string) => void>();
  readonly #droppedListeners = new Set<(refs: readonly AttemptRef[]) => void>();
  readonly #retainEvents: boolean;
  #endedAt: string | undefined;
  #queue: RunQueue | undefined;
  #ownsQueue = true;
  /** The program key given to `createRun` (`RunIdentity.program`), for claims that name the programs they serve. */
  #program: string | undefined;
  readonly #unsubscribe: Array<() => void> = [];
  #state: BackendState = 'open';

  constructor(store: Store, policy: EnqueuePolicy, options: LocalBackendOptions = {}) {
    this.#store = store;
    this.#policy = policy;
    this.#now = options.now ?? (() => new Date());
    this.#retainEvents = options.retainEvents ?? true;
    this.#reaper = setInterval(() => void this.#reap().catch(() => undefined), options.reaperIntervalMs ?? 1000);
    this.#reaper.unref();
  }

  /**
   * A backend over a run already begun or recovered on `queue` (the local `drover run`, which
   * opens the state dir, archives, seeds and tells its observers through the queue itself).
   * The queue stays its owner's: `close()` stops this backend's timers and listeners and leaves
   * the queue (and its store) open.
   */
  static over(queue: RunQueue, options: LocalBackendOptions = {}): LocalBackend {
    const backend = new LocalBackend(queue.store, queue.policy, options);
    backend.#ownsQueue = false;
    backend.#adopt(queue);
    return backend;
  }

  get state(): BackendState {
    return this.#state;
  }

  async createRun(run: RunIdentity): Promise<void> {
    this.#assertOpen();
    if (this.#queue !== undefined) throw new DroverError('usage', `this local backend already holds run ${this.#queue.state.meta.runId}`);
    const stored = await this.#store.open();
    if (stored !== undefined) {
      await this.#store.close();
      throw new DroverError('usage', `a run (${stored.state.meta.runId}) is already stored here; resume it or archive it first`);
    }
    const queue = this.#adopt(new RunQueue(this.#store, emptyQueueState(), this.#policy, this.#now));
    this.#program = run.program;
    await queue.begin(run, run.seed);
  }

  async resumeRun(runId: string): Promise<{ readonly interrupted: readonly string[] }> {
    this.#assertOpen();
    if (this.#queue !== undefined) throw new DroverError('usage', `this local backend already holds run ${this.#queue.state.meta.runId}`);
    const stored = await this.#store.open();
    if (stored === undefined || stored.state.meta.runId !== runId) {
      await this.#store.close();
      throw new DroverError('input-invalid', `no run ${runId} is stored here`);
    }
    const queue = this.#adopt(new RunQueue(this.#store, stored.state, this.#policy, this.#now));
    const interrupted = stored.state.byPosition.filter((task) => task.status === 'running').map((task) => task.id);
    await queue.recover();
    return { interrupted };
  }

  async enqueue(runId: string, request: EnqueueRequest, caller: BackendCaller): Promise<Outcome<{ readonly id: string }>> {
    const queue = this.#run(runId);
    const task = caller.kind === 'task' ? queue.state.tasks.get(caller.taskId) : undefined;
    // Not the running attempt at all: RunQueue refuses (and records) it itself. Running, but under another worker's lease: refused here.
    if (caller.kind === 'task' && task?.status === 'running' && task.attempts === caller.attempt && !this.#holds(caller)) {
      const message = `Task ${caller.taskId} attempt ${caller.attempt} is no longer running under worker ${caller.worker}, so it cannot enqueue work.`;
      // Past the attempt's refusal budget the answer is the budget's, as on PostgreSQL.
      return queue.refusal({ kind: 'task', taskId: caller.taskId, attempt: caller.attempt }, 'enqueue_task', 'not-running', message);
    }
    return queue.enqueue(request, caller.kind === 'orchestrator' ? caller : { kind: 'task', taskId: caller.taskId, attempt: caller.attempt });
  }

  async markSeeded(runId: string): Promise<void> {
    await this.#run(runId).markSeeded();
  }

  async claim(request: ClaimRequest): Promise<ClaimedAttempt[]> {
    this.#assertOpen();
    const queue = this.#queue;
    if (queue === undefined || (request.runId !== undefined && request.runId !== queue.state.meta.runId) || !claimable(queue)) return [];
    // A run's program is known from createRun (kept in memory: a resumed run has none, and is claimed without `programs` only, as on PostgreSQL).
    if (request.programs !== undefined && (this.#program === undefined || !request.programs.includes(this.#program))) return [];
    await this.#reap();
    // Checked again after the await: a cancel requested meanwhile starts nothing more.
    if (!claimable(queue)) return [];
    const out: ClaimedAttempt[] = [];
    const started: Array<Promise<number>> = [];
    const busy = new Map<string, readonly string[]>((request.busyScopes ?? []).map((scope, i) => [`busy ${i}`, scope]));
    // A retried task whose previous attempt still holds its lease (its agent reported a failure and is still exiting) waits
    // for that attempt's finishAttempt: the same task never runs twice at once.
    const stillHeld: number[] = [];
    while (out.length < request.max) {
      // Taking a task and staging its start run without an await between them, so a concurrent claim cannot take the same
      // task; every start of this claim is staged before any is awaited, so they share one commit.
      const task = takeReadyOutsideScopes(queue.state, busy);
      if (task === undefined) break;
      // Held by a previous attempt, a seed task this worker has no seeder for, or a type it was not asked for: left ready.
      if (this.#leases.has(task.id) || !claimableWith(task, request.seeders) || (request.types !== undefined && !request.types.includes(task.type))) {
        stillHeld.push(queue.state.position.get(task.id)!);
        continue;
      }
      if (task.writes !== undefined && task.writes.length > 0) busy.set(task.id, task.writes);
      started.push(queue.markStarted(task.id));
      const attempt = task.attempts;
      const expiresAt = this.#now().getTime() + request.leaseMs;
      this.#leases.set(task.id, { attempt, worker: request.worker, expiresAt });
      out.push({ runId: queue.state.meta.runId, taskId: task.id, attempt, worker: request.worker, task: cloneJson(task), leaseExpiresAt: Number.isFinite(expiresAt) ? new Date(expiresAt).toISOString() : NEVER });
    }
    for (const position of stillHeld) queue.state.ready.push(position);
    await Promise.all(started);
    return out;
  }

  async heartbeat(ref: AttemptRef, leaseMs: number): Promise<boolean> {
    this.#run(ref.runId);
    if (!this.#holds(ref)) return false;
    this.#leases.get(ref.taskId)!.expiresAt = this.#now().getTime() + leaseMs;
    return true;
  }

  async complete(ref: AttemptRef, status: Handoff['status'], handoff: HandoffFields): Promise<Outcome<{ readonly status: Handoff['status'] }>> {
    const queue = this.#run(ref.runId);
    const caller = { kind: 'task', taskId: ref.taskId, attempt: ref.attempt } as const;
    if (!this.#owns(ref)) {
      const message = `Task ${ref.taskId} attempt ${ref.attempt} is not running under worker ${ref.worker}; its result cannot be recorded.`;
      return queue.refusal(caller, 'complete_task', 'not-running', message);
    }
    const outcome = await queue.complete(caller, status, { ...handoff, ...(handoff.filesTouched !== undefined ? { filesTouched: [...handoff.filesTouched] } : {}) } as Parameters<RunQueue['complete']>[2]);
    return outcome;
  }

  async finishAttempt(ref: AttemptRef, end: AttemptEnd): Promise<FenceResult> {
    const queue = this.#run(ref.runId);
    const lease = this.#leases.get(ref.taskId);
    const task = queue.state.tasks.get(ref.taskId);
    if (lease === undefined || lease.worker !== ref.worker || lease.attempt !== ref.attempt || task?.attempts !== ref.attempt) return 'stale';
    // The agent already reported a final result: the attempt ends with nothing left to record.
    if (task.status !== 'running') {
      this.#leases.delete(ref.taskId);
      // A retried task waiting for this attempt to end may start now.
      if (task.status === 'pending') this.#board.wakeAll();
      return 'applied';
    }
    this.#leases.delete(ref.taskId);
    // Past its refusal budget the attempt ends as a runaway, whatever the agent did after (an interruption is still given back).
    const runaway = end.kind !== 'interrupted' && this.#runaways.has(`${ref.taskId}#${ref.attempt}`);
    await queue.finishAttempt(ref.taskId, ref.attempt, runaway ? { kind: 'runaway' } : end);
    return 'applied';
  }

  onTaskSettled(listener: (runId: string, taskId: string) => void): () => void {
    this.#settledListeners.add(listener);
    return () => this.#settledListeners.delete(listener);
  }

  onLeasesDropped(listener: (refs: readonly AttemptRef[]) => void): () => void {
    this.#droppedListeners.add(listener);
    return () => this.#droppedListeners.delete(listener);
  }

  async abandon(runId: string, taskIds: readonly string[], message: string): Promise<void> {
    await this.#run(runId).abandon(taskIds, { kind: 'backstop', message });
  }

  async readUpstreamHandoffs(runId: string, taskId: string): Promise<Array<{ task: Task; handoff: Handoff }>> {
    const queue = this.#run(runId);
    return cloneJson(
      ancestors(queue.state, taskId).flatMap((task) => {
        const handoff = queue.state.handoffs.get(task.id);
        return handoff === undefined ? [] : [{ task, handoff }];
      }),
    );
  }

  async readHandoffs(runId: string, query: HandoffQuery, caller: BackendCaller): Promise<Handoff[]> {
    const queue = this.#run(runId);
    return cloneJson(queue.readHandoffs(query, caller.kind === 'orchestrator' ? caller : { kind: 'task', taskId: caller.taskId, attempt: caller.attempt }));
  }

  async readRun(runId: string): Promise<QueueSnapshot | undefined> {
    this.#assertOpen();
    const queue = this.#queue;
    if (queue === undefined || queue.state.meta.runId !== runId) return undefined;
    // A deep copy of the JSON the snapshot is (as queue.json): cheaper than a JSON round trip or structuredClone for a large run.
    return cloneJson(toSnapshot(queue.state));
  }

  async readEvents(runId: string, after: number, limit = 1000): Promise<QueueEvent[]> {
    this.#run(runId);
    if (!this.#retainEvents) throw new DroverError('internal', 'this local backend keeps no events (retainEvents: false); read the run\'s audit log');
    const first = this.#events.findIndex((event) => event.seq > after);
    return first < 0 ? [] : cloneJson(this.#events.slice(first, first + limit));
  }

  watchEvents(runId: string, after: number, signal: AbortSignal): AsyncIterable<QueueEvent> {
    return watchEvents((from) => this.readEvents(runId, from), this.#board, after, signal, 1000);
  }

  waitForWork(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    return this.#board.wait(timeoutMs, signal);
  }

  async finishRun(runId: string, verdict: 'done' | 'failed' | 'blocked' | 'interrupted', failed: readonly string[], blocked: readonly string[]): Promise<void> {
    const queue = this.#run(runId);
    if (queue.state.meta.status !== 'running') return;
    await queue.finish(verdict, failed, blocked);
  }

  async retryTask(runId: string, taskId: string, actor: ActionActor): Promise<ActionOutcome> {
    const outcome = await this.#run(runId).retryTask(taskId, actor);
    return outcome.ok ? { ok: true } : outcome;
  }

  async cancelRun(runId: string, actor: ActionActor): Promise<ActionOutcome> {
    const queue = this.#run(runId);
    // Settled at once, as on PostgreSQL: the running attempts are given back and their leases dropped, so heartbeats
    // report them lost — and a worker that sends none (leases that never expire) is told directly.
    const outcome = await queue.requestCancel(actor, true);
    if (!outcome.ok) return outcome;
    const dropped = [...this.#leases].map(([taskId, lease]): AttemptRef => ({ runId, taskId, attempt: lease.attempt, worker: lease.worker }));
    this.#leases.clear();
    if (dropped.length > 0) for (const listener of this.#droppedListeners) listener(dropped);
    return outcome;
  }

  async enqueueBatch<T>(runId: string, build: (add: BatchEnqueue) => T): Promise<T> {
    return this.#run(runId).enqueueBatch(build);
  }

  async refuse(caller: BackendCaller, tool: GuardTrippedEvent['tool'], guard: GuardName, message: string): Promise<GuardName> {
    const queue = caller.kind === 'task' ? this.#run(caller.runId) : this.#open();
    return (await queue.refusal(caller.kind === 'orchestrator' ? caller : { kind: 'task', taskId: caller.taskId, attempt: caller.attempt }, tool, guard, message)).guard;
  }

  async saveArtifact(ref: AttemptRef, kind: ArtifactKind, text: string): Promise<void> {
    const queue = this.#run(ref.runId);
    if (!queue.state.tasks.has(ref.taskId)) throw new DroverError('input-invalid', `no task ${ref.taskId} in run ${ref.runId}`);
    const key = `${ref.taskId}\0${kind}`;
    // The latest attempt's text wins: a late save from an older attempt does not overwrite a newer one.
    if ((this.#artifacts.get(key)?.attempt ?? 0) > ref.attempt) return;
    this.#artifacts.set(key, { attempt: ref.attempt, text: kind === 'log' ? logTail(text, ARTIFACT_LOG_TAIL_BYTES) : text });
  }

  async listRuns(): Promise<RunSummary[]> {
    this.#assertOpen();
    const queue = this.#queue;
    if (queue === undefined) return [];
    const { meta } = queue.state;
    const counts: Partial<Record<Task['status'], number>> = {};
    for (const task of queue.state.byPosition) counts[task.status] = (counts[task.status] ?? 0) + 1;
    const endedAt = meta.status === 'running' ? undefined : (this.#endedAt ?? meta.updatedAt);
    return [{ runId: meta.runId, installDir: meta.installDir, status: meta.status, startedAt: meta.createdAt, ...(endedAt !== undefined ? { endedAt } : {}), counts, location: 'current' }];
  }

  async readAllHandoffs(runId: string): Promise<Handoff[]> {
    return cloneJson([...this.#run(runId).state.handoffs.values()]);
  }

  async readArtifact(runId: string, taskId: string, kind: ArtifactKind): Promise<string | undefined> {
    this.#run(runId);
    return this.#artifacts.get(`${taskId}\0${kind}`)?.text;
  }

  async close(): Promise<void> {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    clearInterval(this.#reaper);
    this.#board.wakeAll();
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
    if (this.#ownsQueue) await this.#queue?.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #adopt(queue: RunQueue): RunQueue {
    this.#queue = queue;
    this.#unsubscribe.push(queue.onStaged((events) => {
      if (this.#settledListeners.size === 0) return;
      for (const event of events) {
        if (event.event !== 'task-completed' && event.event !== 'task-skipped' && event.event !== 'task-failed') continue;
        for (const listener of this.#settledListeners) listener(queue.state.meta.runId, event.taskId);
      }
    }));
    this.#unsubscribe.push(queue.subscribe((event) => {
      if (this.#retainEvents) this.#events.push(cloneJson(event));
      if (event.event === 'guard-tripped' && event.guard === 'refusal-budget' && event.taskId !== undefined) this.#runaways.add(`${event.taskId}#${event.attempt ?? 0}`);
      if (event.event === 'run-finished') this.#endedAt = event.ts;
      if (event.event === 'run-resumed') this.#endedAt = undefined;
      // Watchers want every event; a waiting worker only what may make work ready (not its own starts, not refusals).
      if (this.#retainEvents || (event.event !== 'task-started' && event.event !== 'guard-tripped')) this.#board.wakeAll();
    }));
    return queue;
  }

  /** The worker's lease is on this attempt (it may have reported already: RunQueue then refuses a second report). */
  #owns(ref: Pick<AttemptRef, 'taskId' | 'attempt' | 'worker'>): boolean {
    const lease = this.#leases.get(ref.taskId);
    return lease !== undefined && lease.worker === ref.worker && lease.attempt === ref.attempt && this.#queue?.state.tasks.get(ref.taskId)?.attempts === ref.attempt;
  }

  #holds(ref: Pick<AttemptRef, 'taskId' | 'attempt' | 'worker'>): boolean {
    const lease = this.#leases.get(ref.taskId);
    const task = this.#queue?.state.tasks.get(ref.taskId);
    return lease !== undefined && lease.worker === ref.worker && lease.attempt === ref.attempt && task?.status === 'running' && task.attempts === ref.attempt;
  }

  /** Gives back the attempts whose lease ran out: the task is pending again and the attempt is not counted. */
  async #reap(): Promise<void> {
    const queue = this.#queue;
    if (queue === undefined || this.#state === 'closed') return;
    const now = this.#now().getTime();
    // Called before every claim: with no lease past its time (always, when leases never expire), nothing is copied or awaited.
    if (!this.#anyExpired(now)) return;
    for (const [taskId, lease] of [...this.#leases]) {
      if (lease.expiresAt > now) continue;
      this.#leases.delete(taskId);
      if (queue.state.tasks.get(taskId)?.status !== 'running') continue;
      await queue.finishAttempt(taskId, lease.attempt, { kind: 'interrupted' });
    }
  }

  #anyExpired(now: number): boolean {
    for (const lease of this.#leases.values()) if (lease.expiresAt <= now) return true;
    return false;
  }

  #open(): RunQueue {
    this.#assertOpen();
    if (this.#queue === undefined) throw new DroverError('input-invalid', 'no run is open in this local backend');
    return this.#queue;
  }

  #run(runId: string): RunQueue {
    this.#assertOpen();
    const queue = this.#queue;
    if (queue === undefined || queue.state.meta.runId !== runId) throw new DroverError('input-invalid', `no run ${runId} is open in this local backend`);
    return queue;
  }

  #assertOpen(): void {
    if (this.#state === 'closed') throw new DroverError('internal', 'the backend is closed');
  }
}

/** The run takes new starts: it is running and nobody asked to cancel it. */
function claimable(queue: RunQueue): boolean {
  return queue.state.meta.status === 'running' && queue.state.meta.cancel === undefined;
}
