import type { BatchEnqueue, EnqueueRequest } from '../queue/decide-enqueue.js';
import type { ActionActor, Detected, GuardName, GuardTrippedEvent, QueueEvent } from '../queue/events.js';
import type { Handoff, HandoffReport } from '../queue/handoff.js';
import type { QueueSnapshot } from '../queue/snapshot.js';
import type { Task } from '../queue/task.js';


/**
 * THE PORT: everything that changes or reads a run, as operations. It names no connection, file
 * or transaction: the local backend answers from one process's memory and journal, the
 * PostgreSQL backend runs each operation as one transaction. Both pass
 * `test/conformance/backend-conformance.ts`.
 *
 * Lifecycle (`BackendState`):
 *
 * | from    | call                          | to      |
 * |---------|-------------------------------|---------|
 * | open    | any operation                 | open    |
 * | open    | `close()` / `asyncDispose`    | closed  |
 * | closed  | `close()`                     | closed  |  idempotent
 * | closed  | any other operation           | —       |  rejects with DroverError `internal`
 *
 * A run inside a backend: `createRun` (records `run-started`) or `resumeRun` (records
 * `run-resumed`) → `enqueue`… → `markSeeded` → `claim` / `heartbeat` / `complete` /
 * `finishAttempt`… → `finishRun`.
 *
 * An attempt is fenced: every call about it names the task, the attempt number and the worker
 * that holds its lease (`AttemptRef`). When the lease was lost (it expired and the reaper gave
 * the task back, or the attempt already ended), the call changes nothing and says so.
 */
export interface Backend extends RunReader, RunActions, AsyncDisposable {
  readonly state: BackendState;
  /** Starts a new run. Rejects when a run with this id exists. */
  createRun(run: RunIdentity): Promise<void>;
  /** Continues an existing run; returns the tasks whose attempts the restart interrupted. */
  resumeRun(runId: string): Promise<{ readonly interrupted: readonly string[] }>;
  /** Adds a task when every guard (decided by `queue/decideEnqueue`) passes; a refusal is recorded as `guard-tripped`. */
  enqueue(runId: string, request: EnqueueRequest, caller: BackendCaller): Promise<Outcome<{ readonly id: string }>>;
  /**
   * The seed step's bulk enqueue, as one operation (one commit, one round trip): `build` calls
   * `add` synchronously for each request, in order, each seeing the tasks added before it, so a
   * later request can depend on an earlier one's id. `add` returns the new task's id, or the id
   * of a live twin (same type and inputs) so a re-seed after a crash adds nothing, and throws on
   * a refused request; what was added before the refusal is committed with the refusal, then the
   * error propagates. Same contract as `RunQueue.enqueueBatch`, so seeders run on any backend.
   */
  enqueueBatch<T>(runId: string, build: (add: BatchEnqueue) => T): Promise<T>;
  /**
   * Records a refused tool call (bad input, a tool this caller may not use) as `guard-tripped`.
   * Counts toward the attempt's refusal budget: past it, a `refusal-budget` trip is recorded and
   * the attempt ends as `runaway` when the worker calls `finishAttempt`. Resolves to the guard
   * the refusal counts as: `refusal-budget` once the caller is past its budget (a worker then
   * stops that attempt's agent).
   */
  refuse(caller: BackendCaller, tool: GuardTrippedEvent['tool'], guard: GuardName, message: string): Promise<GuardName>;
  /** Stores what an attempt produced beside its events: the assembled prompt, or the tail of the agent's log (bounded by the backend, last bytes kept). */
  saveArtifact(ref: AttemptRef, kind: ArtifactKind, text: string): Promise<void>;
  /**
   * The seed step finished enqueueing the initial graph, for a run seeded outside the queue (a
   * library caller's). A run with a seed task is marked seeded by that task's completion (`complete`
   * records `run-seeded` in the same transaction).
   */
  markSeeded(runId: string): Promise<void>;
  /**
   * Takes up to `max` ready tasks (pending, every dependency satisfied), in enqueue order, and
   * starts an attempt of each leased to `worker` for `leaseMs` on the backend's clock. With no
   * `runId`, from any running run.
   */
  claim(request: ClaimRequest): Promise<ClaimedAttempt[]>;
  /**
   * Optional, for a backend in the worker's own process (the local backend): `listener` is told
   * synchronously when a task's final result (done, skipped, failed for good) is applied, before
   * it is durable. A worker then frees that attempt's slot and claims the start it enables into
   * the same commit; nothing may act outside the process on it (a claim resolves only once its
   * own start is durable, which implies the result staged before it is too).
   */
  onTaskSettled?(listener: (runId: string, taskId: string) => void): () => void;
  /**
   * Optional, for a backend in the worker's own process (the local backend, whose leases may never
   * expire and then cost no heartbeat): `listener` is told when the backend dropped leases
   * itself (a cancel through the port gave the running attempts back). A worker stops those
   * attempts' agents, as a heartbeat answering "not held" would.
   */
  onLeasesDropped?(listener: (refs: readonly AttemptRef[]) => void): () => void;
  /** Extends a lease. `false`: the lease is lost; stop the agent, nothing it reports will count. */
  heartbeat(ref: AttemptRef, leaseMs: number): Promise<boolean>;
  /**
   * The agent's report (`complete_task`). A failure with attempts left is held until
   * `finishAttempt`, so a retry never overlaps the agent that is still exiting.
   */
  complete(ref: AttemptRef, status: Handoff['status'], handoff: HandoffFields): Promise<Outcome<{ readonly status: Handoff['status'] }>>;
  /**
   * The attempt's agent has exited. Without a report (or after a held failure) the task is
   * requeued while attempts remain, else failed and its dependents blocked. `interrupted` gives
   * the attempt back: the task goes back to pending without costing an attempt.
   */
  finishAttempt(ref: AttemptRef, end: AttemptEnd): Promise<FenceResult>;
  /**
   * Fails pending tasks that will never start (a worker's start backstop tripped: the run
   * reached its limit of starts per task) and blocks their dependents. Tasks no longer pending
   * are left alone.
   */
  abandon(runId: string, taskIds: readonly string[], message: string): Promise<void>;
  /** Every ancestor's handoff of `taskId`, roots first: what a fresh agent's prompt shows of the work before it. */
  readUpstreamHandoffs(runId: string, taskId: string): Promise<Array<{ task: Task; handoff: Handoff }>>;
  /** Handoffs by task id, by type, or (no query) those of the caller's direct dependencies. */
  readHandoffs(runId: string, query: HandoffQuery, caller: BackendCaller): Promise<Handoff[]>;
  /**
   * Resolves when work may have become ready (a dependency completed, a task was enqueued or
   * given back), or after `timeoutMs` at the latest (the fallback poll), or when `signal` aborts.
   */
  waitForWork(timeoutMs: number, signal?: AbortSignal): Promise<void>;
  /** Records `run-finished`, once: on a run that is not running (another worker finished it) it changes nothing. */
  finishRun(runId: string, verdict: 'done' | 'failed' | 'blocked' | 'interrupted', failed: readonly string[], blocked: readonly string[]): Promise<void>;
  /** Stops timers, listeners and connections. Idempotent. */
  close(): Promise<void>;
}

/**
 * The actions a person may take on a run (`drover dashboard --allow-actions`), each recorded as
 * an event naming who asked. A refusal (the task is not failed, the run is not running) changes
 * nothing and says why.
 */
export interface RunActions {
  /** `task-retried`: a failed task (and what its failure blocked) back to pending with a fresh attempt budget; a finished run is reopened. */
  retryTask(runId: string, taskId: string, actor: ActionActor): Promise<ActionOutcome>;
  /**
   * `run-cancel-requested`, then the run ends with verdict `cancelled`: running attempts are given
   * back (their leases end, so the workers' heartbeats report them lost and stop the agents),
   * nothing new is claimed.
   */
  cancelRun(runId: string, actor: ActionActor): Promise<ActionOutcome>;
}

export type ActionOutcome = { readonly ok: true } | { readonly ok: false; readonly message: string };

/** The process that is working a run, as the dashboard beside it sees it: which run, and who records actions on it. */
export interface LiveRunWriter {
  readonly runId: string;
  readonly actions: RunActions;
}

/**
 * The read half of the port: what `drover status`, the terminal view, telemetry and the
 * dashboard need. A reader changes nothing, so it may watch a run another process is writing
 * (a state dir under a live `drover run`, or a PostgreSQL run drained by remote workers).
 */
export interface RunReader {
  /** The runs this reader can see, newest first. */
  listRuns(): Promise<RunSummary[]>;
  /** The run as `queue.json` shows it, or undefined when there is no such run. */
  readRun(runId: string): Promise<QueueSnapshot | undefined>;
  /** Up to `limit` events with `seq > after`, in order. */
  readEvents(runId: string, after: number, limit?: number): Promise<QueueEvent[]>;
  /**
   * Every event with `seq > after`, then each new one as it commits, until `signal` aborts.
   * What observers, telemetry and a dashboard consume.
   */
  watchEvents(runId: string, after: number, signal: AbortSignal): AsyncIterable<QueueEvent>;
  /** Every handoff recorded in the run, in completion order. */
  readAllHandoffs(runId: string): Promise<Handoff[]>;
  /** The latest artifact of this kind for the task (any attempt), or undefined. */
  readArtifact(runId: string, taskId: string, kind: ArtifactKind): Promise<string | undefined>;
  /** Stops timers, listeners and connections. Idempotent. */
  close(): Promise<void>;
}

/** One line of a run list (`drover status --store`, the dashboard's Runs view). */
export interface RunSummary {
  readonly runId: string;
  readonly installDir: string;
  readonly status: QueueSnapshot['status'];
  readonly startedAt: string;
  readonly endedAt?: string | undefined;
  /** Task counts by status. */
  readonly counts: Readonly<Partial<Record<Task['status'], number>>>;
  /** Where it is kept: `current` or `archive/<name>` for a state dir, the schema for PostgreSQL. */
  readonly location: string;
  /**
   * The program that ran it, when the backend knows it: from a state dir's telemetry, its name
   * (`integrate`, `fanout-plan`); on PostgreSQL, the key a worker must serve (`integrate`,
   * `fanout:<plan digest>`, see `RunIdentity.program`).
   */
  readonly program?: string | undefined;
}

/** What an attempt leaves beside its events. */
export type ArtifactKind = 'prompt' | 'log';

/** The log tail a backend keeps per task (the last bytes). */
/** How long a claim lasts without a heartbeat when the worker is given no lease (`--lease`). */
export const DEFAULT_LEASE_MS = 30_000;

export const ARTIFACT_LOG_TAIL_BYTES = 64 * 1024;

export type BackendState = 'open' | 'closed';

export interface RunIdentity {
  readonly runId: string;
  readonly installDir: string;
  readonly detected: Detected;
  /**
   * The run's seed task (`queue/seedTaskRequest`), enqueued in the same commit as `run-started`:
   * the seed step is a task like any other, claimed by a worker that has its seeder. Without it
   * the caller seeds the run itself and calls `markSeeded`.
   */
  readonly seed?: EnqueueRequest;
  /**
   * What a worker must serve to run this run's tasks right (its prompts, its seeder): the
   * program's key, `integrate` or `fanout:<plan digest>` (`ProgramDefinition.seeder`). A claim
   * with `programs` takes tasks of runs whose key is among them only; a run without a key is
   * taken only by claims without `programs` (a library caller's own workers).
   */
  readonly program?: string;
}

/** Who makes a call: the orchestrator (seed step, CLI) or the agent of one attempt. */
export type BackendCaller = { readonly kind: 'orchestrator' } | ({ readonly kind: 'task' } & AttemptRef);

/** One attempt of one task, held by one worker. */
export interface AttemptRef {
  readonly runId: string;
  readonly taskId: string;
  readonly attempt: number;
  readonly worker: string;
}

export interface ClaimRequest {
  readonly worker: string;
  readonly max: number;
  /** How long the lease lasts without a heartbeat; `Infinity` on the local backend: a lease that never expires (one process). */
  readonly leaseMs: number;
  readonly runId?: string | undefined;
  /**
   * Write scopes held in the worker's workdir (its attempts' `writes`, until each agent has
   * exited): a ready task whose scope overlaps one of these, or one claimed earlier in the same
   * call, is passed over (it stays ready, in its place). See `queue/write-scopes.ts`.
   */
  readonly busyScopes?: ReadonlyArray<readonly string[]> | undefined;
  /**
   * The seeders this worker has (`queue/seed-task.ts`): a seed task is claimed only by a worker
   * with its seeder; without this, no seed task is claimed. Other tasks are unaffected.
   */
  readonly seeders?: readonly string[] | undefined;
  /**
   * The programs this worker serves (`RunIdentity.program`): only runs created with one of these
   * keys are claimed from. Without it, any run (a library caller whose workers run one program).
   */
  readonly programs?: readonly string[] | undefined;
  /** Claim only tasks of these types (`drover run --store --seed-only` runs the seed task and nothing else). */
  readonly types?: readonly string[] | undefined;
}

export interface ClaimedAttempt extends AttemptRef {
  /** The task as it is now: `running`, with `attempts` equal to `attempt`. */
  readonly task: Task;
  /** When the lease ends unless extended, on the backend's clock (ISO). */
  readonly leaseExpiresAt: string;
}

export type AttemptEnd = { readonly kind: 'returned' } | { readonly kind: 'threw'; readonly message: string } | { readonly kind: 'timeout'; readonly afterMs: number } | { readonly kind: 'interrupted' };

/** `stale`: the attempt is not the one running under this worker's lease; nothing changed. */
export type FenceResult = 'applied' | 'stale';

export type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly guard: GuardName; readonly message: string };

/** What an agent reports with `complete_task` (the queue's `HandoffReport`). */
export type HandoffFields = HandoffReport;

export interface HandoffQuery {
  readonly taskId?: string | undefined;
  readonly type?: string | undefined;
}
