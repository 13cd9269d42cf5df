import { randomUUID } from 'node:crypto';
import { setTimeout as sleepFor } from 'node:timers/promises';
import pg from 'pg';
import { DroverError, isDroverError } from '../../errors/drover-error.js';
import { applyEvent } from '../../queue/apply-event.js';
import { batchEnqueuer } from '../../queue/batch-enqueuer.js';
import { decideEnqueue, type BatchEnqueue, type EnqueuePolicy, type EnqueueRequest } from '../../queue/decide-enqueue.js';
import { decideRefusal, runawayMessage } from '../../queue/decide-refusal.js';
import type { ActionActor, GuardName, GuardTrippedEvent, QueueEvent, QueueEventDraft } from '../../queue/events.js';
import { decideCancel, stageCancel } from '../../queue/decide-cancel.js';
import { decideRetry } from '../../queue/decide-retry.js';
import { DEFAULT_REFUSALS_PER_ATTEMPT } from '../../queue/limits.js';
import type { QueueState } from '../../queue/queue-state.js';
import { toHandoff, type Handoff } from '../../queue/handoff.js';
import { restoreQueueState, type QueueSnapshot } from '../../queue/snapshot.js';
import { dooms, satisfies } from '../../queue/satisfies.js';
import { ancestors } from '../../queue/ancestors.js';
import { pickOutsideScopes } from '../../queue/write-scopes.js';
import { mayRecordVerdict, SEED_TASK_ID, SEED_TASK_TYPE } from '../../queue/seed-task.js';
import { computeVerdict } from '../../queue/verdict.js';
import type { Task, TaskError } from '../../queue/task.js';
import { ARTIFACT_LOG_TAIL_BYTES, DEFAULT_LEASE_MS } from '../backend.js';
import type { ActionOutcome, ArtifactKind, AttemptEnd, AttemptRef, Backend, BackendCaller, BackendState, ClaimedAttempt, ClaimRequest, FenceResult, HandoffFields, HandoffQuery, Outcome, RunIdentity, RunSummary } from '../backend.js';
import { logTail } from '../log-tail.js';
import { SignalBoard } from '../signal-board.js';
import { watchEvents } from '../watch-events.js';
import { DatabaseUnreachableError, DEFAULT_RETRY_FOR_MS, formatDuration, isTransient, retryDelay, type DatabaseRetry, type RetryPolicy } from './database-retry.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';
import { describeDatabaseUrl, isRetryable, parseDatabaseUrl, unreachable } from './postgres-errors.js';
import { taskFromRow, type TaskRow } from './task-row.js';

export interface PostgresBackendOptions {
  /** The schema drover creates and migrates its tables in. Default `drover`. */
  readonly schema?: string;
  readonly policy: EnqueuePolicy;
  /** How often expired leases are given back. Default 1000 ms. */
  readonly reaperIntervalMs?: number;
  /** The fallback poll of `watchEvents` when a notification is lost. Default 2000 ms. */
  readonly pollMs?: number;
  /**
   * Connections in the pool (the LISTEN connection is not one of them). Default: sized for
   * `concurrency` (see `poolSizeFor`).
   */
  readonly poolSize?: number;
  /** How many attempts this process runs at once; sizes the pool when `poolSize` is not given. Default 1. */
  readonly concurrency?: number;
  /**
   * A query that has had no answer for this long is checked with a fresh connection: if the
   * database does not answer either, it failed as a lost connection (and is retried like one),
   * so a half-open connection cannot hang a worker; if it answers, the statement is cancelled on
   * the server and the operation fails (exit 4) rather than being run again. Default 60 s;
   * `queryTimeoutFor` derives it from the lease.
   */
  readonly queryTimeoutMs?: number;
  /**
   * Read-only: the schema must already exist at the version this drover knows (else one line,
   * exit 2); nothing is migrated, no lease is reaped, every transaction is read-only. For
   * `drover status` and `drover dashboard`.
   */
  readonly readOnly?: boolean;
  /**
   * How many times the reaper gives a task back (its worker stopped heartbeating) before it
   * fails the task instead: an agent that takes its worker down with it every time must not be
   * retried forever. Default `DEFAULT_MAX_GIVE_BACKS` (3).
   */
  readonly maxGiveBacks?: number;
  /**
   * The run-wide start backstop: the tasks of a run are started at most this many times their
   * number, by all workers together; past that, a claim fails what is still pending
   * (`backstop`) instead of starting it, so a run that keeps requeueing ends. Default
   * `DEFAULT_MAX_STARTS_PER_TASK` (10).
   */
  readonly maxStartsPerTask?: number;
  /** Aborting it ends retry waits at once: the waiting operation rejects (`interrupted`, exit 130). */
  readonly signal?: AbortSignal;
  /**
   * How long an operation keeps retrying while the database is unreachable (refused, reset or
   * dropped connections, a server restarting) before it rejects with a
   * `DatabaseUnreachableError` (exit 4). Default 5 minutes.
   */
  readonly retryForMs?: number;
  /** Told before each retry wait, e.g. to print "database unreachable, retrying in 2 s". */
  readonly onRetry?: (retry: DatabaseRetry) => void;
}

const SCHEMA_PATTERN = /^[a-z_][a-z0-9_]{0,47}$/;

/** Give-backs by the reaper before a task fails (`maxGiveBacks`). */
export const DEFAULT_MAX_GIVE_BACKS = 3;
/** Starts per task of a run, by all workers together, before a claim fails what is pending (`maxStartsPerTask`). */
export const DEFAULT_MAX_STARTS_PER_TASK = 10;
/** The largest pool `poolSizeFor` picks. */
export const MAX_POOL_SIZE = 40;
export const DEFAULT_QUERY_TIMEOUT_MS = 60_000;

/**
 * Connections for a process that runs `concurrency` attempts: one per attempt, plus three for
 * the claim loop, the reaper and the event readers; at least 4, at most `MAX_POOL_SIZE`. An
 * attempt can hold two at a moment (its heartbeat beside one of its agent's tool calls or its
 * finish); a short wait for a connection then is harmless, and the spare three absorb most.
 */
export function poolSizeFor(concurrency: number): number {
  return Math.min(MAX_POOL_SIZE, Math.max(4, Math.ceil(concurrency) + 3));
}

/**
 * The query timeout for a worker holding leases of `leaseMs` (default `DEFAULT_LEASE_MS`, the
 * worker's own default): a whole lease (a heartbeat that takes longer has lost its lease
 * anyway), but never under 10 s, so a slow large batch on a short lease is not cut. Readers,
 * which hold no lease, use `DEFAULT_QUERY_TIMEOUT_MS`.
 */
export function queryTimeoutFor(leaseMs: number = DEFAULT_LEASE_MS): number {
  return Math.max(10_000, leaseMs);
}

type Client = pg.PoolClient;
type Lock = 'shared' | 'exclusive';

/**
 * Many workers, many machines, one database. Each operation is one transaction; the database is
 * the serialisation point:
 *
 * - `seq` is gapless per run: a transaction takes the next numbers from the counter on its
 *   `runs` row, which it holds until commit, so events commit in `seq` order.
 * - Enqueue decisions load the run and reuse `queue/decideEnqueue` under an exclusive per-run
 *   advisory lock; every other transition of a run takes the same lock shared, so a decision
 *   never sees a half-applied completion (which would leave a new task waiting on a dependency
 *   that already finished) while claims and completions still run side by side.
 * - Claims take ready rows with `FOR UPDATE SKIP LOCKED`: two workers never wait on each other
 *   and never take the same task.
 * - An attempt is fenced by (task, attempt, lease owner) and `status = 'running'`; the lease
 *   ends at `now() + leaseMs` on the database clock, so worker clocks do not matter. The reaper
 *   gives expired attempts back without counting them.
 * - A completion decrements its dependents' `unmet` (locked in id order); a failure blocks every
 *   pending descendant in one recursive statement. Each commit NOTIFYs the schema's channel;
 *   waiters also poll, because notifications are lost while a connection is down.
 * - The common case of a claim, a done completion and the end of a reported attempt is one
 *   statement calling a function of migration 5 (`#call`), with the same lock, operation id and
 *   events; every other case declines there and runs the TypeScript path.
 */
/** How many ready tasks past `max` a claim reads at a time when write scopes may pass some over (it pages on until `max` are picked). */
const CLAIM_LOOKAHEAD = 32;

/** A batch that adds at least this many tasks refreshes the tables' planner statistics (`#analyze`). */
const ANALYZE_AFTER_TASKS = 1000;

/** How long a retried task waits for its previous attempt's agent to exit (its worker's `finishAttempt`) before it may start anyway: that worker may have died. */
const RETRY_LEASE_GRACE_MS = 30_000;

export class PostgresBackend implements Backend {
  readonly schema: string;
  readonly #pool: pg.Pool;
  readonly #url: URL;
  readonly #policy: EnqueuePolicy;
  readonly #board = new SignalBoard();
  readonly #pollMs: number;
  readonly #channel: string;
  readonly #s: string;
  #reaper: NodeJS.Timeout | undefined;
  #reaping: Promise<void> | undefined;
  #listener: pg.Client | undefined;
  #relistening = false;
  readonly #retry: RetryPolicy;
  /** Aborted by `close()`: ends retry waits. */
  readonly #closing = new AbortController();
  #lastOpsCleanup = 0;
  #state: BackendState = 'open';
  readonly #readOnly: boolean;
  readonly #maxGiveBacks: number;
  readonly #maxStartsPerTask: number;
  /** Runs seen seeded, or without a seed task: their claims may use `claim_ready`, which knows nothing of seed tasks. */
  readonly #seededRuns = new Set<string>();
  readonly #signal: AbortSignal | undefined;
  readonly #queryTimeoutMs: number;

  /** Connections whose current transaction recorded events (see `#tx`: only those notify). */
  readonly #recorded = new WeakSet<Client>();

  private constructor(pool: pg.Pool, url: URL, schema: string, options: PostgresBackendOptions) {
    this.#pool = pool;
    this.#url = url;
    this.schema = schema;
    this.#s = `"${schema}"`;
    this.#channel = `${schema}.wake`;
    this.#policy = options.policy;
    this.#pollMs = options.pollMs ?? 2000;
    this.#retry = { retryForMs: options.retryForMs ?? DEFAULT_RETRY_FOR_MS, onRetry: options.onRetry };
    this.#readOnly = options.readOnly === true;
    this.#maxGiveBacks = options.maxGiveBacks ?? DEFAULT_MAX_GIVE_BACKS;
    this.#maxStartsPerTask = options.maxStartsPerTask ?? DEFAULT_MAX_STARTS_PER_TASK;
    this.#signal = options.signal;
    this.#queryTimeoutMs = options.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
  }

  /**
   * Connects, creates or migrates the schema, and starts listening and reaping. A malformed or
   * unreachable URL rejects with one `input-invalid` line (exit 2) naming the database.
   */
  static async open(databaseUrl: string, options: PostgresBackendOptions): Promise<PostgresBackend> {
    const url = parseDatabaseUrl(databaseUrl);
    const schema = options.schema ?? 'drover';
    if (!SCHEMA_PATTERN.test(schema)) throw new DroverError('input-invalid', `database schema: expected lower-case letters, digits and _ (at most 48), got "${schema}"`);
    // A transaction orphaned by a lost connection (a partition the server has not noticed yet) must not hold its locks — and
    // the operation id a retry waits on — for long: the server ends it after a minute of silence.
    // A query with no answer (a half-open connection) fails after query_timeout and is retried as a lost connection.
    // A reader's connections refuse every write, whatever the code path.
    const pool = new pg.Pool({
      connectionString: options.readOnly === true ? readOnlyUrl(url) : databaseUrl,
      max: options.poolSize ?? poolSizeFor(options.concurrency ?? 1),
      connectionTimeoutMillis: 10_000,
      keepAlive: true,
      idle_in_transaction_session_timeout: 60_000,
      query_timeout: options.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS,
    });
    // An idle connection that breaks (the server restarted) must not crash the process; the next query reconnects.
    pool.on('error', () => undefined);
    const backend = new PostgresBackend(pool, url, schema, options);
    try {
      if (backend.#readOnly) await backend.#checkSchema();
      else await backend.#migrate();
      await backend.#listen();
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw error instanceof DroverError ? error : unreachable(url, error);
    }
    // A reader gives nothing back: reaping is the business of the processes that work the runs.
    if (backend.#readOnly) return backend;
    backend.#reaper = setInterval(() => {
      if (backend.#reaping !== undefined) return;
      // A reaper round that fails (the database is briefly away) is simply tried again on the next tick.
      backend.#reaping = backend
        .reapExpiredLeases()
        .then(() => backend.#forgetOldOps())
        .then(
          () => undefined,
          () => undefined,
        )
        .finally(() => {
          backend.#reaping = undefined;
        });
    }, options.reaperIntervalMs ?? 1000);
    backend.#reaper.unref();
    return backend;
  }

  get state(): BackendState {
    return this.#state;
  }

  async createRun(run: RunIdentity): Promise<void> {
    await this.#tx('createRun', run.runId, 'exclusive', async (c, ts) => {
      const inserted = await c.query(`INSERT INTO ${this.#s}.runs (id, install_dir, detected, status, created_at, updated_at, program) VALUES ($1, $2, $3, 'running', $4, $4, $5) ON CONFLICT (id) DO NOTHING`, [run.runId, run.installDir, JSON.stringify(run.detected), ts, run.program ?? null]);
      if (inserted.rowCount !== 1) throw new DroverError('usage', `run ${run.runId} already exists in schema ${this.schema}; resume it instead`);
      await this.#record(c, run.runId, ts, [{ event: 'run-started', runId: run.runId, installDir: run.installDir, detected: run.detected }]);
      if (run.seed === undefined) {
        // No seed task, ever: claims may take the one-round-trip path at once (once this commits).
        this.#seededRuns.add(run.runId);
        return;
      }
      // The seed task is enqueued with the run, in the same transaction: a run never exists without its seed step.
      const state = await this.#load(c, run.runId);
      const decision = decideEnqueue(state, run.seed, 'orchestrator', this.#policy, ts);
      if (!decision.ok) throw new DroverError('internal', `the seed task was refused: ${decision.message}`);
      const staged = this.#stager(state, ts);
      staged.stage({ event: 'task-enqueued', taskId: decision.task.id, task: decision.task, ...(run.seed.reason !== undefined ? { reason: run.seed.reason } : {}) });
      await this.#writeStaged(c, run.runId, ts, state, staged);
    });
  }

  async resumeRun(runId: string): Promise<{ readonly interrupted: readonly string[] }> {
    return this.#tx('resumeRun', runId, 'exclusive', async (c, ts) => {
      const updated = await c.query(`UPDATE ${this.#s}.runs SET status = 'running', ended_at = NULL WHERE id = $1`, [runId]);
      if (updated.rowCount !== 1) throw new DroverError('input-invalid', `no run ${runId} in schema ${this.schema}`);
      // Attempts of workers that died are given back by the reaper when their lease ends; live workers keep theirs.
      await this.#record(c, runId, ts, [{ event: 'run-resumed', runId, interrupted: [] }]);
      return { interrupted: [] };
    });
  }

  async enqueue(runId: string, request: EnqueueRequest, caller: BackendCaller): Promise<Outcome<{ readonly id: string }>> {
    return this.#tx('enqueue', runId, 'exclusive', async (c, ts) => {
      if (caller.kind === 'task') {
        const row = (await c.query<TaskRow>(`SELECT * FROM ${this.#s}.tasks WHERE run_id = $1 AND id = $2`, [runId, caller.taskId])).rows[0];
        if (row?.status !== 'running' || row.attempts !== caller.attempt) {
          return this.#refuse(c, runId, ts, caller, 'enqueue_task', 'not-running', `Task ${caller.taskId} attempt ${caller.attempt} is no longer running, so it cannot enqueue work.`, request.type);
        }
        if (row.lease_owner !== caller.worker) {
          return this.#refuse(c, runId, ts, caller, 'enqueue_task', 'not-running', `Task ${caller.taskId} attempt ${caller.attempt} is no longer running under worker ${caller.worker}, so it cannot enqueue work.`);
        }
      }
      const state = await this.#load(c, runId);
      const decision = decideEnqueue(state, request, caller.kind === 'orchestrator' ? 'orchestrator' : caller.taskId, this.#policy, ts);
      if (!decision.ok) return this.#refuse(c, runId, ts, caller, 'enqueue_task', decision.guard, decision.message, request.type);
      const { task, sinksExtended } = decision;
      const staged = this.#stager(state, ts);
      staged.stage({ event: 'task-enqueued', taskId: task.id, task, ...(request.reason !== undefined ? { reason: request.reason } : {}), ...(sinksExtended.length > 0 ? { sinksExtended } : {}) });
      const doomedBy = task.dependsOn.find((id) => dooms(state.tasks.get(id)!));
      if (doomedBy !== undefined) staged.stage({ event: 'task-blocked', taskId: task.id, blockedBy: doomedBy });
      await this.#writeStaged(c, runId, ts, state, staged);
      return { ok: true, value: { id: task.id } };
    });
  }

  async markSeeded(runId: string): Promise<void> {
    await this.#tx('markSeeded', runId, 'exclusive', async (c, ts) => {
      await this.#markSeeded(c, runId, ts, false);
    });
  }

  /** `run-seeded` (with `once`, only on a run not seeded yet, as `RunQueue` does for the seed task); the count leaves the seed task out. */
  async #markSeeded(c: Client, runId: string, ts: string, once: boolean): Promise<void> {
    const marked = await c.query(`UPDATE ${this.#s}.runs SET seeded = true WHERE id = $1${once ? ' AND NOT seeded' : ''}`, [runId]);
    if (marked.rowCount !== 1) return;
    const count = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${this.#s}.tasks WHERE run_id = $1 AND type <> $2`, [runId, SEED_TASK_TYPE]);
    await this.#record(c, runId, ts, [{ event: 'run-seeded', taskCount: count.rows[0]!.n }]);
  }

  async claim(request: ClaimRequest): Promise<ClaimedAttempt[]> {
    this.#assertOpen();
    const runs =
      request.runId !== undefined
        ? [request.runId]
        : (
            await this.#query<{ run_id: string }>('claim', 
              `SELECT DISTINCT t.run_id FROM ${this.#s}.tasks t JOIN ${this.#s}.runs r ON r.id = t.run_id WHERE r.status = 'running' AND t.status = 'pending' AND t.unmet = 0${claimFilter(request)} LIMIT 16`,
            )
          ).rows.map((row) => row.run_id);
    const out: ClaimedAttempt[] = [];
    for (const runId of runs) {
      if (out.length >= request.max) break;
      out.push(...(await this.#claimIn(runId, request, request.max - out.length)));
    }
    return out;
  }

  async heartbeat(ref: AttemptRef, leaseMs: number): Promise<boolean> {
    this.#assertOpen();
    // Any status: an attempt holds its lease until its finishAttempt drops it, also after its agent
    // reported (it may still be exiting), so a task retried meanwhile cannot start on another worker
    // beside it. The reaper only looks at running tasks.
    const result = await this.#query('heartbeat', 
      `UPDATE ${this.#s}.tasks SET lease_expires_at = now() + $5 * interval '1 millisecond'
       WHERE run_id = $1 AND id = $2 AND attempts = $3 AND lease_owner = $4`,
      [ref.runId, ref.taskId, ref.attempt, ref.worker, leaseMs],
    );
    return result.rowCount === 1;
  }

  async complete(ref: AttemptRef, status: Handoff['status'], input: HandoffFields): Promise<Outcome<{ readonly status: Handoff['status'] }>> {
    // The common case in one round trip: the fenced attempt of a running task reports done or skipped. The function sets the
    // handoff's type and time from the task row and the database clock.
    // The seed task's completion also marks the run seeded: that is the TypeScript path's.
    if (status !== 'failed' && ref.taskId !== SEED_TASK_ID) {
      const fast = await this.#call<Outcome<{ readonly status: Handoff['status'] }>>('complete', 'complete_attempt', [ref.runId, ref.taskId, ref.attempt, ref.worker, status, JSON.stringify(toHandoff(ref.taskId, '', status, input, ''))]);
      if (fast !== undefined) return fast;
    }
    return this.#tx('complete', ref.runId, 'shared', async (c, ts) => {
      const caller = { kind: 'task', ...ref } as const;
      const row = await this.#lockTask(c, ref.runId, ref.taskId);
      if (row === undefined || row.attempts !== ref.attempt || row.lease_owner !== ref.worker) {
        return this.#refuse(c, ref.runId, ts, caller, 'complete_task', 'not-running', `Task ${ref.taskId} attempt ${ref.attempt} is not running under worker ${ref.worker}; its result cannot be recorded.`);
      }
      if (row.reported !== null || (row.status !== 'running' && row.status !== 'pending')) {
        const reported = row.reported !== null ? 'failed' : row.status;
        return this.#refuse(c, ref.runId, ts, caller, 'complete_task', 'already-completed', `Task ${row.id} already reported its result (${reported}); complete_task may be called once per task. Stop here.`);
      }
      if (row.status !== 'running') {
        return this.#refuse(c, ref.runId, ts, caller, 'complete_task', 'not-running', `Task ${row.id} attempt ${ref.attempt} is not running; its result cannot be recorded.`);
      }
      const handoff = toHandoff(row.id, row.type, status, input, ts);
      if (status === 'failed' && row.attempts < row.max_attempts) {
        await c.query(`UPDATE ${this.#s}.tasks SET reported = $3 WHERE run_id = $1 AND id = $2`, [ref.runId, row.id, JSON.stringify(input)]);
        return { ok: true, value: { status } };
      }
      if (status === 'failed') {
        await this.#fail(c, ref.runId, ts, row, { kind: 'agent-failed', message: input.forNextAgent }, handoff);
      } else {
        await c.query(`UPDATE ${this.#s}.tasks SET status = $3, finished_at = $4, error = NULL, lease_expires_at = NULL WHERE run_id = $1 AND id = $2`, [ref.runId, row.id, status === 'done' ? 'done' : 'skipped', ts]);
        const [event] = await this.#record(c, ref.runId, ts, [{ event: status === 'done' ? 'task-completed' : 'task-skipped', taskId: row.id, handoff }]);
        await this.#saveHandoff(c, ref.runId, handoff, event!.seq);
        if (!satisfies(taskFromRow(row))) await this.#release(c, ref.runId, row.id);
        // The seed task's result is what marks the run seeded, in the same transaction.
        if (row.type === SEED_TASK_TYPE) await this.#markSeeded(c, ref.runId, ts, true);
      }
      return { ok: true, value: { status } };
    });
  }

  async finishAttempt(ref: AttemptRef, end: AttemptEnd): Promise<FenceResult> {
    // The common case in one round trip: the task already left `running` (it reported), so only the lease is dropped.
    const fast = await this.#call<FenceResult>('finishAttempt', 'finish_reported', [ref.runId, ref.taskId, ref.attempt, ref.worker]);
    if (fast !== undefined) return fast;
    return this.#tx('finishAttempt', ref.runId, 'shared', async (c, ts) => {
      const row = await this.#lockTask(c, ref.runId, ref.taskId);
      if (row === undefined || row.attempts !== ref.attempt || row.lease_owner !== ref.worker) return 'stale';
      if (row.status === 'pending') {
        // Retried while this attempt's agent was exiting: it has now, so the retried task may start (the notify wakes workers).
        await c.query(`UPDATE ${this.#s}.tasks SET lease_owner = NULL, lease_expires_at = NULL WHERE run_id = $1 AND id = $2`, [ref.runId, ref.taskId]);
        this.#recorded.add(c);
        return 'applied';
      }
      // The attempt ends here: the lease is dropped, so a second call about it is stale.
      await c.query(`UPDATE ${this.#s}.tasks SET lease_owner = NULL, lease_expires_at = NULL WHERE run_id = $1 AND id = $2`, [ref.runId, ref.taskId]);
      if (row.status !== 'running') return 'applied';
      if (end.kind === 'interrupted') {
        await this.#requeue(c, ref.runId, ts, row, { kind: 'interrupted', message: 'the run was interrupted; the task will start again on resume' }, true);
        return 'applied';
      }
      const runaway = await this.#refusalsOf(c, ref.runId, ref.taskId, ref.attempt) > this.#refusalBudget();
      const error: TaskError = runaway
        ? { kind: 'runaway', message: runawayMessage(this.#refusalBudget()) }
        : row.reported !== null
          ? { kind: 'agent-failed', message: row.reported.forNextAgent }
          : end.kind === 'timeout'
            ? { kind: 'timeout', message: `the agent did not finish within ${end.afterMs} ms and was stopped` }
            : end.kind === 'threw'
              ? { kind: 'crashed', message: end.message }
              : { kind: 'no-report', message: 'the agent ended without calling complete_task' };
      if (row.attempts < row.max_attempts) await this.#requeue(c, ref.runId, ts, row, error, false);
      else await this.#fail(c, ref.runId, ts, row, error);
      return 'applied';
    });
  }

  async readHandoffs(runId: string, query: HandoffQuery, caller: BackendCaller): Promise<Handoff[]> {
    this.#assertOpen();
    const s = this.#s;
    let result: pg.QueryResult<{ body: Handoff }>;
    if (query.taskId !== undefined) {
      result = await this.#query('readHandoffs', `SELECT body FROM ${s}.handoffs WHERE run_id = $1 AND task_id = $2`, [runId, query.taskId]);
    } else if (query.type !== undefined) {
      result = await this.#query('readHandoffs', `SELECT h.body FROM ${s}.handoffs h JOIN ${s}.tasks t ON t.run_id = h.run_id AND t.id = h.task_id WHERE h.run_id = $1 AND t.type = $2 ORDER BY t.position`, [runId, query.type]);
    } else if (caller.kind === 'orchestrator') {
      return [];
    } else {
      result = await this.#query('readHandoffs', 
        `SELECT h.body FROM ${s}.tasks t CROSS JOIN LATERAL unnest(t.depends_on) WITH ORDINALITY AS d(id, n) JOIN ${s}.handoffs h ON h.run_id = t.run_id AND h.task_id = d.id
         WHERE t.run_id = $1 AND t.id = $2 ORDER BY d.n`,
        [runId, caller.taskId],
      );
    }
    return result.rows.map((row) => row.body);
  }

  async readRun(runId: string): Promise<QueueSnapshot | undefined> {
    return this.#withRetry('readRun', async () => {
      const c = await this.#connect();
      try {
        await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        const snapshot = await this.#snapshot(c, runId);
        await c.query('COMMIT');
        c.release();
        return snapshot;
      } catch (error) {
        if (isQueryTimeout(error)) timedOutOn.set(error as object, serverPid(c));
        c.release(error as Error);
        throw error;
      }
    });
  }

  async readEvents(runId: string, after: number, limit = 1000): Promise<QueueEvent[]> {
    this.#assertOpen();
    const result = await this.#query<{ body: QueueEvent }>('readEvents', `SELECT body FROM ${this.#s}.events WHERE run_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`, [runId, after, limit]);
    return result.rows.map((row) => row.body);
  }

  watchEvents(runId: string, after: number, signal: AbortSignal): AsyncIterable<QueueEvent> {
    return watchEvents((from) => this.readEvents(runId, from), this.#board, after, signal, this.#pollMs);
  }

  waitForWork(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (this.#listener === undefined) void this.#relisten();
    return this.#board.wait(timeoutMs, signal);
  }

  async finishRun(runId: string, verdict: 'done' | 'failed' | 'blocked' | 'interrupted', failed: readonly string[], blocked: readonly string[]): Promise<void> {
    await this.#tx('finishRun', runId, 'exclusive', async (c, ts) => {
      // Several workers may find the run done at once: the first records the verdict, the rest change nothing.
      const updated = await c.query(`UPDATE ${this.#s}.runs SET status = $2, ended_at = $3 WHERE id = $1 AND status = 'running'`, [runId, verdict, ts]);
      if (updated.rowCount !== 1) return;
      await this.#record(c, runId, ts, [{ event: 'run-finished', verdict, failed, blocked }]);
    });
  }

  async retryTask(runId: string, taskId: string, actor: ActionActor): Promise<ActionOutcome> {
    return this.#tx('retryTask', runId, 'exclusive', async (c, ts): Promise<ActionOutcome> => {
      const state = await this.#load(c, runId);
      const decision = decideRetry(state, taskId, this.#policy.defaultMaxAttempts);
      if (!decision.ok) return decision;
      const { draft } = decision;
      const s = this.#s;
      // An optional task's failure had released its dependents: those still pending wait for it again.
      if (satisfies(state.tasks.get(taskId)!)) {
        await c.query(`UPDATE ${s}.tasks t SET unmet = t.unmet + 1 FROM ${s}.edges e WHERE e.run_id = $1 AND e.dependency = $2 AND t.run_id = $1 AND t.id = e.dependent AND t.status = 'pending'`, [runId, taskId]);
      }
      await c.query(
        // A fresh budget of give-backs too. A worker still ending the last attempt (its agent reported the failure and is
        // exiting) keeps its lease: the task starts again only once that worker's finishAttempt drops it, or past the grace.
        // (A task the reaper failed kept its dead worker's name: that lease is dropped.)
        `UPDATE ${s}.tasks SET status = 'pending', max_attempts = $3, error = NULL, started_at = NULL, finished_at = NULL, reported = NULL, give_backs = 0,
           lease_owner = CASE WHEN lease_owner IS NOT NULL AND error->>'kind' = 'agent-failed' THEN lease_owner END,
           lease_expires_at = CASE WHEN lease_owner IS NOT NULL AND error->>'kind' = 'agent-failed' THEN now() + $4 * interval '1 millisecond' END
         WHERE run_id = $1 AND id = $2`,
        [runId, taskId, draft.maxAttempts, RETRY_LEASE_GRACE_MS],
      );
      if (draft.unblocked.length > 0) await c.query(`UPDATE ${s}.tasks SET status = 'pending', error = NULL, finished_at = NULL WHERE run_id = $1 AND id = ANY($2::text[])`, [runId, draft.unblocked]);
      // A person's retry gives the run a fresh start backstop (as a new worker session did when the backstop was the worker's):
      // else a task the backstop failed would fail again at the next claim, and no retry could ever start it.
      await c.query(`UPDATE ${s}.runs SET starts = 0${draft.reopened ? `, status = 'running', ended_at = NULL` : ''} WHERE id = $1`, [runId]);
      await this.#record(c, runId, ts, [{ ...draft, ...actor }]);
      return { ok: true };
    });
  }

  async cancelRun(runId: string, actor: ActionActor): Promise<ActionOutcome> {
    return this.#tx('cancelRun', runId, 'exclusive', async (c, ts): Promise<ActionOutcome> => {
      const state = await this.#load(c, runId);
      const decision = decideCancel(state);
      if (!decision.ok) return decision;
      const staged = this.#stager(state, ts);
      stageCancel(state, actor, staged.stage);
      const s = this.#s;
      // The running attempts are given back and their leases end: the workers' heartbeats report them lost and stop the agents.
      await c.query(
        `UPDATE ${s}.tasks SET status = 'pending', attempts = GREATEST(attempts - 1, 0), error = $2, started_at = NULL, finished_at = NULL, reported = NULL, lease_owner = NULL, lease_expires_at = NULL
         WHERE run_id = $1 AND status = 'running'`,
        [runId, JSON.stringify({ kind: 'interrupted', message: 'the run was cancelled; the attempt was given back' })],
      );
      await c.query(`UPDATE ${s}.runs SET status = 'cancelled', ended_at = $2 WHERE id = $1`, [runId, ts]);
      await this.#record(c, runId, ts, staged.drafts);
      return { ok: true };
    });
  }

  /**
   * Gives back every attempt whose lease ended (on the database clock): the task is pending
   * again and the attempt is not counted, because the worker died, not the task. Runs on a
   * timer; callable directly. Returns how many attempts it gave back.
   */
  async reapExpiredLeases(): Promise<number> {
    if (this.#state === 'closed' || this.#readOnly) return 0;
    const runs = await this.#query<{ run_id: string }>('reapExpiredLeases', `SELECT DISTINCT run_id FROM ${this.#s}.tasks WHERE status = 'running' AND lease_expires_at < now()`);
    let reaped = 0;
    for (const { run_id: runId } of runs.rows) {
      let failed = false;
      reaped += await this.#tx('reapExpiredLeases', runId, 'shared', async (c, ts) => {
        failed = false;
        const expired = await c.query<TaskRow>(`SELECT * FROM ${this.#s}.tasks WHERE run_id = $1 AND status = 'running' AND lease_expires_at < now() ORDER BY position FOR UPDATE SKIP LOCKED`, [runId]);
        for (const row of expired.rows) {
          const worker = row.lease_owner ?? 'unknown';
          const giveBacks = row.give_backs + 1;
          if (giveBacks >= this.#maxGiveBacks) {
            // Its agent takes its worker down every time (out of memory, a kill of the process group): failing it beats retrying forever.
            await this.#fail(c, runId, ts, row, { kind: 'crashed', message: `its worker died ${giveBacks} times while running it (the last: worker ${worker} stopped heartbeating); drover gave up on it` });
            // Its attempt is over, as after any give-back: the fence refuses the late calls of that worker (not-running, stale).
            await c.query(`UPDATE ${this.#s}.tasks SET lease_owner = NULL, give_backs = $3 WHERE run_id = $1 AND id = $2`, [runId, row.id, giveBacks]);
            failed = true;
            continue;
          }
          await this.#requeue(c, runId, ts, row, { kind: 'interrupted', message: `the lease of worker ${worker} expired (it stopped heartbeating); the attempt is given back (${giveBacks} of ${this.#maxGiveBacks - 1} give-backs)` }, true);
          await c.query(`UPDATE ${this.#s}.tasks SET give_backs = $3 WHERE run_id = $1 AND id = $2`, [runId, row.id, giveBacks]);
        }
        return expired.rows.length;
      });
      // That may have been the run's last work, and the worker that died was the one to record its verdict.
      if (failed) await this.#finishIfDone(runId);
    }
    return reaped;
  }

  async enqueueBatch<T>(runId: string, build: (add: BatchEnqueue) => T): Promise<T> {
    let outcome = { ok: false, error: undefined } as { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };
    let added = 0;
    const seed = async (c: Client, ts: string, write: boolean): Promise<void> => {
      const state = await this.#load(c, runId);
      const staged = this.#stager(state, ts);
      added = 0;
      const add = batchEnqueuer(state, this.#policy, ts, staged.stage);
      try {
        outcome = { ok: true, value: build(add) };
      } catch (error) {
        // What was added before the refusal is committed with it; the error propagates after the commit.
        outcome = { ok: false, error };
      }
      if (write) {
        await this.#writeStaged(c, runId, ts, state, staged);
        added = state.byPosition.length - staged.initial;
      }
    };
    // The builder's result is not stored with the operation: when a retry finds the batch already committed, the builder runs
    // again against the committed state, writing nothing — each request finds its twin, a refused one is refused again.
    await this.#tx('enqueueBatch', runId, 'exclusive', (c, ts) => seed(c, ts, true), (c, ts) => seed(c, ts, false));
    if (added >= ANALYZE_AFTER_TASKS) await this.#analyze();
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  /**
   * Refreshes the planner's statistics of `tasks` and `edges` after a large batch, rather than
   * waiting up to a minute for autovacuum: with statistics from before the batch, recursive walks
   * over the new graph were planned as scans of every edge of the run at each level (800 ms
   * against 76 ms on a 10,000-task graph; docs/performance.md). Best effort: a database user that
   * does not own the tables is told "skipping" by PostgreSQL, and a failure changes nothing.
   */
  async #analyze(): Promise<void> {
    await this.#query('analyze', `ANALYZE ${this.#s}.tasks, ${this.#s}.edges`).catch(() => undefined);
  }

  async refuse(caller: BackendCaller, tool: GuardTrippedEvent['tool'], guard: GuardName, message: string): Promise<GuardName> {
    if (caller.kind !== 'task') throw new DroverError('usage', 'refuse: the PostgreSQL backend records refusals of task callers only (an orchestrator caller names no run)');
    return (await this.#tx('refuse', caller.runId, 'shared', (c, ts) => this.#refuse(c, caller.runId, ts, caller, tool, guard, message))).guard;
  }

  async saveArtifact(ref: AttemptRef, kind: ArtifactKind, text: string): Promise<void> {
    this.#assertOpen();
    const s = this.#s;
    // PostgreSQL text cannot hold NUL: a log that contains one keeps a replacement character in its place.
    const kept = (kind === 'log' ? logTail(text, ARTIFACT_LOG_TAIL_BYTES) : text).replaceAll('\u0000', '\uFFFD');
    const saved = await this.#query<{ task: boolean }>('saveArtifact', 
      `WITH task AS (SELECT 1 FROM ${s}.tasks WHERE run_id = $1 AND id = $2),
       saved AS (
         INSERT INTO ${s}.artifacts (run_id, task_id, kind, attempt, text) SELECT $1, $2, $3, $4, $5 FROM task
         ON CONFLICT (run_id, task_id, kind) DO UPDATE SET attempt = EXCLUDED.attempt, text = EXCLUDED.text, updated_at = now()
         WHERE artifacts.attempt <= EXCLUDED.attempt
       )
       SELECT EXISTS (SELECT 1 FROM task) AS task`,
      [ref.runId, ref.taskId, kind, ref.attempt, kept],
    );
    if (saved.rows[0]?.task !== true) throw new DroverError('input-invalid', `no task ${ref.taskId} in run ${ref.runId}`);
  }

  async listRuns(): Promise<RunSummary[]> {
    this.#assertOpen();
    const s = this.#s;
    const result = await this.#query<{ id: string; install_dir: string; status: RunSummary['status']; created_at: string; ended_at: string | null; program: string | null; counts: Partial<Record<Task['status'], number>> }>('listRuns', 
      `SELECT r.id, r.install_dir, r.status, r.created_at, r.ended_at, r.program,
         COALESCE((SELECT jsonb_object_agg(c.status, c.n) FROM (SELECT t.status, count(*)::int AS n FROM ${s}.tasks t WHERE t.run_id = r.id GROUP BY t.status) c), '{}'::jsonb) AS counts
       FROM ${s}.runs r ORDER BY r.created_at DESC, r.id DESC`,
    );
    return result.rows.map((row) => ({ runId: row.id, installDir: row.install_dir, status: row.status, startedAt: row.created_at, ...(row.ended_at !== null ? { endedAt: row.ended_at } : {}), counts: row.counts, location: this.schema, ...(row.program !== null ? { program: row.program } : {}) }));
  }

  async abandon(runId: string, taskIds: readonly string[], message: string): Promise<void> {
    if (taskIds.length === 0) return;
    await this.#tx('abandon', runId, 'exclusive', async (c, ts) => {
      for (const taskId of taskIds) {
        const row = await this.#lockTask(c, runId, taskId);
        if (row?.status === 'pending') await this.#fail(c, runId, ts, row, { kind: 'backstop', message });
      }
    });
  }

  /**
   * The handoffs of every task `taskId` transitively depends on, roots first (`queue/ancestors`).
   * One statement that loads only the task and its ancestors (each once, walking `depends_on`
   * from the task through the primary key), so an attempt's prompt costs what its upstream
   * holds, not what the run holds (reading the whole run took 140–200 ms of client CPU per
   * attempt on a 10,000-task run).
   */
  async readUpstreamHandoffs(runId: string, taskId: string): Promise<Array<{ task: Task; handoff: Handoff }>> {
    this.#assertOpen();
    const s = this.#s;
    const result = await this.#query<TaskRow & { handoff: Handoff | null }>(
      'readUpstreamHandoffs',
      `WITH RECURSIVE up(id) AS (
         SELECT $2::text
         UNION
         SELECT d.id FROM up CROSS JOIN LATERAL (SELECT t.depends_on FROM ${s}.tasks t WHERE t.run_id = $1 AND t.id = up.id OFFSET 0) t CROSS JOIN LATERAL unnest(t.depends_on) AS d(id)
       )
       SELECT t.*, h.body AS handoff FROM up JOIN ${s}.tasks t ON t.run_id = $1 AND t.id = up.id LEFT JOIN ${s}.handoffs h ON h.run_id = $1 AND h.task_id = up.id`,
      [runId, taskId],
    );
    const tasks = new Map(result.rows.map((row) => [row.id, taskFromRow(row)]));
    const handoffs = new Map(result.rows.flatMap((row) => (row.handoff !== null ? [[row.id, row.handoff] as const] : [])));
    return ancestors({ tasks }, taskId).flatMap((task) => {
      const handoff = handoffs.get(task.id);
      return handoff === undefined ? [] : [{ task, handoff }];
    });
  }

  async readAllHandoffs(runId: string): Promise<Handoff[]> {
    this.#assertOpen();
    const s = this.#s;
    const result = await this.#query<{ body: Handoff }>('readAllHandoffs', `SELECT h.body FROM ${s}.handoffs h JOIN ${s}.tasks t ON t.run_id = h.run_id AND t.id = h.task_id WHERE h.run_id = $1 ORDER BY h.seq NULLS FIRST, t.position`, [runId]);
    return result.rows.map((row) => row.body);
  }

  async readArtifact(runId: string, taskId: string, kind: ArtifactKind): Promise<string | undefined> {
    this.#assertOpen();
    const result = await this.#query<{ text: string }>('readArtifact', `SELECT text FROM ${this.#s}.artifacts WHERE run_id = $1 AND task_id = $2 AND kind = $3`, [runId, taskId, kind]);
    return result.rows[0]?.text;
  }

  async close(): Promise<void> {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#closing.abort();
    clearInterval(this.#reaper);
    this.#board.wakeAll();
    await this.#reaping;
    const listener = this.#listener;
    this.#listener = undefined;
    await listener?.end().catch(() => undefined);
    await this.#pool.end();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** Drops the schema and everything in it. For tests and for `drover` maintenance; the backend is closed after. */
  async dropSchema(): Promise<void> {
    this.#assertOpen();
    await this.#pool.query(`DROP SCHEMA IF EXISTS ${this.#s} CASCADE`);
    await this.close();
  }

  async #claimIn(runId: string, request: ClaimRequest, wanted: number): Promise<ClaimedAttempt[]> {
    // The common case in one round trip: none of the first `max` ready tasks has a write scope, and the backstop allows them.
    // Only once the run is seeded (or has no seed task): before, its seed task may be ready, and only a worker with its
    // seeder may take it (claimFilter, on the path below, which learns when that is over). Not for a claim of some types only.
    const fast = request.types !== undefined || !this.#seededRuns.has(runId) ? undefined : await this.#call<Array<TaskRow & { lease_iso: string }>>('claim', 'claim_ready', [runId, request.worker, wanted, request.leaseMs, this.#maxStartsPerTask, request.programs ?? null]);
    if (fast !== undefined) return fast.map((row) => ({ runId, taskId: row.id, attempt: row.attempts, worker: request.worker, task: taskFromRow(row), leaseExpiresAt: row.lease_iso }));
    const busy = request.busyScopes ?? [];
    const filter = claimFilter(request);
    const claimed = await this.#tx('claim', runId, 'shared', async (c, ts): Promise<ClaimedAttempt[] | 'backstop'> => {
      // The run-wide start backstop: every worker's starts of the run's tasks together (positions are dense: the task count is the last one + 1).
      const { allowed, settled } = (
        await c.query<{ allowed: string | null; settled: boolean }>(
          `SELECT $2 * (SELECT COALESCE(max(t.position) + 1, 0) FROM ${this.#s}.tasks t WHERE t.run_id = $1) - r.starts AS allowed,
             r.seeded OR NOT EXISTS (SELECT 1 FROM ${this.#s}.tasks t WHERE t.run_id = $1 AND t.id = $3) AS settled
           FROM ${this.#s}.runs r WHERE r.id = $1`,
          [runId, this.#maxStartsPerTask, SEED_TASK_ID],
        )
      ).rows[0] ?? { allowed: null, settled: false };
      // Seeded (which never reverts), or created without a seed task (which is only ever created with its run): from now
      // on this run's claims may take the one-round-trip path.
      if (settled) this.#seededRuns.add(runId);
      const max = Math.min(wanted, allowed === undefined || allowed === null ? wanted : Number(allowed));
      // A retried task whose previous attempt's worker has not ended it yet (its agent is still exiting) is not ready:
      // the same task never runs twice at once. Past the grace that worker is presumed dead.
      const ready = `SELECT t.id, t.writes, t.position FROM ${this.#s}.tasks t JOIN ${this.#s}.runs r ON r.id = t.run_id
           WHERE t.run_id = $1 AND r.status = 'running' AND t.status = 'pending' AND t.unmet = 0
             AND (t.lease_owner IS NULL OR t.lease_expires_at IS NULL OR t.lease_expires_at < now()) AND t.position > $3${filter}
           ORDER BY t.position LIMIT $2 FOR UPDATE OF t SKIP LOCKED`;
      if (max < 1) {
        // Out of starts: fail what is pending if anything is ready now (else later, when something is).
        const any = await c.query(ready, [runId, 1, -1]);
        return any.rowCount === 0 ? [] : 'backstop';
      }
      // One task and no scope held: nothing to compare, one statement. Otherwise the candidates are locked and read
      // a page at a time, and those whose write scopes meet a held one (or one picked before them) are passed over,
      // until `max` are picked or no ready task is left.
      let pickedIds: string[] | undefined;
      if (busy.length > 0 || max > 1) {
        const picked: Array<{ id: string; writes?: string[] }> = [];
        for (let after = -1; picked.length < max; ) {
          const page = (await c.query<{ id: string; writes: string[] | null; position: number }>(ready, [runId, max + CLAIM_LOOKAHEAD, after])).rows;
          const held = [...busy, ...picked.flatMap((task) => (task.writes !== undefined && task.writes.length > 0 ? [task.writes] : []))];
          picked.push(...pickOutsideScopes(page.map((row) => ({ id: row.id, ...(row.writes !== null ? { writes: row.writes } : {}) })), held, max - picked.length));
          if (page.length < max + CLAIM_LOOKAHEAD) break;
          after = Number(page.at(-1)!.position);
        }
        pickedIds = picked.map((task) => task.id);
        if (pickedIds.length === 0) return [];
      }
      const claimed = await c.query<TaskRow & { lease_iso: string }>(
        `WITH picked AS (${pickedIds === undefined ? ready.replace('t.id, t.writes, t.position', 't.id').replace('$3', '-1') : `SELECT unnest($2::text[]) AS id`})
         UPDATE ${this.#s}.tasks t SET status = 'running', attempts = t.attempts + 1, started_at = $3, finished_at = NULL, reported = NULL,
           lease_owner = $4, lease_expires_at = now() + $5 * interval '1 millisecond'
         FROM picked WHERE t.run_id = $1 AND t.id = picked.id
         RETURNING t.*, to_char(t.lease_expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS lease_iso`,
        [runId, pickedIds ?? max, ts, request.worker, request.leaseMs],
      );
      const rows = [...claimed.rows].sort((a, b) => a.position - b.position);
      if (rows.length > 0) {
        await c.query(`UPDATE ${this.#s}.runs SET starts = starts + $2 WHERE id = $1`, [runId, rows.length]);
        await this.#record(c, runId, ts, rows.map((row) => ({ event: 'task-started', taskId: row.id, attempt: row.attempts })));
      }
      return rows.map((row) => ({ runId, taskId: row.id, attempt: row.attempts, worker: request.worker, task: taskFromRow(row), leaseExpiresAt: row.lease_iso }));
    });
    if (claimed !== 'backstop') return claimed;
    // Nothing starts any more: what is pending would never run. Failing it ends the run (failed) instead of a loop.
    const pending = await this.#query<{ id: string }>('claim', `SELECT id FROM ${this.#s}.tasks WHERE run_id = $1 AND status = 'pending' ORDER BY position`, [runId]);
    await this.abandon(runId, pending.rows.map((row) => row.id), `the run reached its limit of ${this.#maxStartsPerTask} starts per task and stopped starting tasks`);
    await this.#finishIfDone(runId);
    return [];
  }

  /**
   * After the backend itself failed tasks (the start backstop, the reaper's last give-back): records the run's verdict
   * if nothing is left to run. Nothing else would: a worker records one for the runs its own attempts touched, and
   * `drover worker` without --run may have none of this run's. `finishRun` records one verdict however many get here.
   */
  async #finishIfDone(runId: string): Promise<void> {
    const snapshot = await this.readRun(runId);
    if (snapshot === undefined || snapshot.status !== 'running' || !mayRecordVerdict(snapshot)) return;
    const verdict = computeVerdict({ byPosition: snapshot.tasks });
    if (verdict.status !== 'incomplete') await this.finishRun(runId, verdict.status, verdict.failed, verdict.blocked);
  }

  /**
   * Drops the ids of operations finished long ago, once a minute: a retry never comes later
   * than `retryForMs` after its first try, so an hour (or twice the retry window) is plenty.
   */
  async #forgetOldOps(): Promise<void> {
    if (Date.now() - this.#lastOpsCleanup < 60_000) return;
    this.#lastOpsCleanup = Date.now();
    const keepMs = Math.max(3_600_000, 2 * this.#retry.retryForMs);
    await this.#pool.query(`DELETE FROM ${this.#s}.ops WHERE created_at < now() - $1 * interval '1 millisecond'`, [keepMs]);
  }

  async #lockTask(c: Client, runId: string, taskId: string): Promise<TaskRow | undefined> {
    return (await c.query<TaskRow>(`SELECT * FROM ${this.#s}.tasks WHERE run_id = $1 AND id = $2 FOR UPDATE`, [runId, taskId])).rows[0];
  }

  async #requeue(c: Client, runId: string, ts: string, row: TaskRow, error: TaskError, giveBack: boolean): Promise<void> {
    const attempts = giveBack ? row.attempts - 1 : row.attempts;
    await c.query(
      `UPDATE ${this.#s}.tasks SET status = 'pending', error = $3, attempts = $4, started_at = NULL, finished_at = NULL, reported = NULL, lease_owner = NULL, lease_expires_at = NULL
       WHERE run_id = $1 AND id = $2`,
      [runId, row.id, JSON.stringify(error), attempts],
    );
    await this.#record(c, runId, ts, [{ event: 'task-requeued', taskId: row.id, error, ...(giveBack ? { attempts } : {}) }]);
  }

  /** The task failed for good: record it, then either release its dependents (optional) or block every pending descendant. */
  async #fail(c: Client, runId: string, ts: string, row: TaskRow, error: TaskError, handoff?: Handoff): Promise<void> {
    const wasSatisfied = satisfies(taskFromRow(row));
    await c.query(`UPDATE ${this.#s}.tasks SET status = 'failed', finished_at = $3, error = $4, reported = NULL, lease_expires_at = NULL WHERE run_id = $1 AND id = $2`, [runId, row.id, ts, JSON.stringify(error)]);
    const [event] = await this.#record(c, runId, ts, [{ event: 'task-failed', taskId: row.id, error, ...(handoff !== undefined ? { handoff } : {}) }]);
    if (handoff !== undefined) await this.#saveHandoff(c, runId, handoff, event!.seq);
    if (row.optional) {
      if (!wasSatisfied) await this.#release(c, runId, row.id);
    } else {
      await this.#blockDescendants(c, runId, ts, row.id);
    }
  }

  /** A dependency became satisfied: each dependent waits for one fewer. Rows are locked in id order so concurrent completions cannot deadlock. */
  async #release(c: Client, runId: string, taskId: string): Promise<void> {
    await c.query(
      `WITH locked AS (
         SELECT t.id FROM ${this.#s}.tasks t JOIN ${this.#s}.edges e ON e.run_id = t.run_id AND e.dependent = t.id
         WHERE e.run_id = $1 AND e.dependency = $2 ORDER BY t.id FOR UPDATE OF t
       )
       UPDATE ${this.#s}.tasks t SET unmet = t.unmet - 1 FROM locked WHERE t.run_id = $1 AND t.id = locked.id`,
      [runId, taskId],
    );
  }

  /**
   * Blocks every pending task that transitively depends on `failedId`, and writes their
   * `task-blocked` events with the next seqs, in one statement: breadth-first (by depth, then
   * enqueue order), each task once, naming the dependency through which it was first reached.
   * The walk visits each task once: `level` holds one row per depth (the tasks first reached
   * there, each with its first-placed dependency one level up, and every task reached so far),
   * so its cost grows with the tasks and edges, not with the number of paths (a pipeline graph
   * has exponentially many). It is written to be driven from the frontier through the edges'
   * key (the lateral with OFFSET 0, the scalar look-ups): right after a large batch the tables'
   * statistics are stale, and a planner left free scanned every task of the run per level.
   */
  async #blockDescendants(c: Client, runId: string, ts: string, failedId: string): Promise<void> {
    const s = this.#s;
    await c.query(
      `WITH RECURSIVE level(depth, frontier, causes, seen) AS (
         SELECT 0, ARRAY[$2::text], ARRAY[NULL::text], ARRAY[$2::text]
         UNION ALL
         SELECT l.depth + 1, n.ids, n.causes, l.seen || n.ids FROM level l CROSS JOIN LATERAL (
           SELECT array_agg(d.dependent) AS ids, array_agg(d.dependency) AS causes FROM (
             SELECT DISTINCT ON (e.dependent) e.dependent, e.dependency FROM unnest(l.frontier) AS f(id)
             CROSS JOIN LATERAL (SELECT e.dependent, e.dependency FROM ${s}.edges e WHERE e.run_id = $1 AND e.dependency = f.id OFFSET 0) e
             WHERE NOT (e.dependent = ANY (l.seen))
               AND (SELECT t.status FROM ${s}.tasks t WHERE t.run_id = $1 AND t.id = e.dependent) = 'pending'
             ORDER BY e.dependent, (SELECT b.position FROM ${s}.tasks b WHERE b.run_id = $1 AND b.id = e.dependency)
           ) d
         ) n
         WHERE n.ids IS NOT NULL
       ),
       first AS (
         SELECT r.id, r.blocked_by, l.depth, t.position FROM level l CROSS JOIN LATERAL unnest(l.frontier, l.causes) AS r(id, blocked_by)
         JOIN ${s}.tasks t ON t.run_id = $1 AND t.id = r.id
         WHERE l.depth > 0
       ),
       ordered AS (SELECT id, blocked_by, row_number() OVER (ORDER BY depth, position) AS n, count(*) OVER () AS total FROM first),
       bump AS (
         UPDATE ${s}.runs SET seq = seq + (SELECT count(*) FROM ordered), updated_at = $3::text WHERE id = $1 AND EXISTS (SELECT 1 FROM ordered)
         RETURNING seq
       ),
       blocked AS (
         UPDATE ${s}.tasks t SET status = 'blocked', finished_at = $3::text,
           error = jsonb_build_object('kind', 'blocked', 'message', 'dependency ' || o.blocked_by || ' did not succeed', 'dependency', o.blocked_by)
         FROM ordered o WHERE t.run_id = $1 AND t.id = o.id
       )
       INSERT INTO ${s}.events (run_id, seq, ts, event, body)
       SELECT $1, b.seq - o.total + o.n, $3::text, 'task-blocked',
         jsonb_build_object('seq', b.seq - o.total + o.n, 'ts', $3::text, 'event', 'task-blocked', 'taskId', o.id, 'blockedBy', o.blocked_by)
       FROM ordered o CROSS JOIN bump b`,
      [runId, failedId, ts],
    );
  }

  /** Stores a final handoff beside the event (`seq`) that recorded it, which orders `readAllHandoffs`. */
  async #saveHandoff(c: Client, runId: string, handoff: Handoff, seq: number): Promise<void> {
    await c.query(`INSERT INTO ${this.#s}.handoffs (run_id, task_id, body, seq) VALUES ($1, $2, $3, $4) ON CONFLICT (run_id, task_id) DO UPDATE SET body = EXCLUDED.body, seq = EXCLUDED.seq`, [runId, handoff.taskId, JSON.stringify(handoff), seq]);
  }

  /**
   * Records a refused call under the refusal budget (`queue/decideRefusal`, the rule `RunQueue`
   * applies): refusals are counted per attempt (or for the orchestrator) in `refusals`; past the
   * budget one `refusal-budget` trip is recorded, later ones are answered but not logged.
   */
  async #refuse(c: Client, runId: string, ts: string, caller: BackendCaller, tool: GuardTrippedEvent['tool'], guard: GuardName, message: string, type?: string): Promise<{ ok: false; guard: GuardName; message: string }> {
    const [by, attempt] = caller.kind === 'orchestrator' ? ['orchestrator', 0] : [caller.taskId, caller.attempt];
    const counted = await c.query<{ count: number }>(
      `INSERT INTO ${this.#s}.refusals (run_id, caller, attempt, count) VALUES ($1, $2, $3, 1)
       ON CONFLICT (run_id, caller, attempt) DO UPDATE SET count = refusals.count + 1 RETURNING count`,
      [runId, by, attempt],
    );
    const decision = decideRefusal(counted.rows[0]!.count, this.#refusalBudget(), caller.kind, guard, message, type);
    if (decision.log) {
      await this.#record(c, runId, ts, [{ event: 'guard-tripped', guard: decision.guard, message: decision.message, caller: by, tool, ...(caller.kind === 'task' ? { taskId: caller.taskId, attempt: caller.attempt } : {}), ...(decision.type !== undefined ? { type: decision.type } : {}) }]);
    }
    return { ok: false, guard: decision.guard, message: decision.message };
  }

  async #refusalsOf(c: Client, runId: string, taskId: string, attempt: number): Promise<number> {
    const row = (await c.query<{ count: number }>(`SELECT count FROM ${this.#s}.refusals WHERE run_id = $1 AND caller = $2 AND attempt = $3`, [runId, taskId, attempt])).rows[0];
    return row?.count ?? 0;
  }

  #refusalBudget(): number {
    return this.#policy.limits.maxRefusalsPerAttempt ?? DEFAULT_REFUSALS_PER_ATTEMPT;
  }

  /** Stamps and applies events to a loaded state one by one (each decision sees the ones before), remembering them for `#writeStaged`. */
  #stager(state: QueueState, ts: string): Staged {
    const initial = state.byPosition.length;
    const drafts: QueueEventDraft[] = [];
    return {
      initial,
      drafts,
      stage: (draft) => {
        applyEvent(state, { seq: state.meta.seq + 1, ts, ...draft } as QueueEvent);
        drafts.push(draft);
      },
    };
  }

  /**
   * Writes what `staged` applied to `state` (loaded under the run's exclusive lock): the new
   * tasks as the state now holds them, their edges, the pending sinks they extended, and the
   * events — a handful of multi-row statements whatever the number of tasks.
   */
  async #writeStaged(c: Client, runId: string, ts: string, state: QueueState, staged: Staged): Promise<void> {
    if (staged.drafts.length === 0) return;
    const s = this.#s;
    const added = state.byPosition.slice(staged.initial);
    if (added.length > 0) {
      const rows = added.map((task) => ({
        id: task.id,
        position: state.position.get(task.id)!,
        type: task.type,
        label: task.label,
        status: task.status,
        depends_on: task.dependsOn,
        inputs: task.inputs,
        max_attempts: task.maxAttempts,
        enqueued_by: task.enqueuedBy,
        depth: task.depth,
        optional: task.optional,
        sink: task.sink === true,
        created_at: task.createdAt,
        finished_at: task.finishedAt ?? null,
        error: task.error ?? null,
        unmet: state.unmet.get(task.id)!,
        writes: task.writes ?? null,
      }));
      await c.query(
        `INSERT INTO ${s}.tasks (run_id, id, position, type, label, status, depends_on, inputs, attempts, max_attempts, enqueued_by, depth, optional, sink, created_at, finished_at, error, unmet, writes)
         SELECT $1, x.id, x.position, x.type, x.label, x.status, x.depends_on, x.inputs, 0, x.max_attempts, x.enqueued_by, x.depth, x.optional, x.sink, x.created_at, x.finished_at, x.error, x.unmet, x.writes
         FROM jsonb_to_recordset($2::jsonb) AS x(id text, position integer, type text, label text, status text, depends_on text[], inputs jsonb, max_attempts integer, enqueued_by text, depth integer, optional boolean, sink boolean, created_at text, finished_at text, error jsonb, unmet integer, writes text[])`,
        [runId, JSON.stringify(rows)],
      );
    }
    const dependencies: string[] = [];
    const dependents: string[] = [];
    const extended = new Map<string, string[]>();
    for (const draft of staged.drafts) {
      if (draft.event !== 'task-enqueued') continue;
      for (const dep of draft.task.dependsOn) {
        dependencies.push(dep);
        dependents.push(draft.taskId);
      }
      for (const sinkId of draft.sinksExtended ?? []) {
        dependencies.push(draft.taskId);
        dependents.push(sinkId);
        // A sink added in this batch was written as it now is; one from before gets the new dependencies appended.
        if (state.position.get(sinkId)! < staged.initial) extended.set(sinkId, [...(extended.get(sinkId) ?? []), draft.taskId]);
      }
    }
    if (dependencies.length > 0) {
      await c.query(`INSERT INTO ${s}.edges (run_id, dependency, dependent) SELECT $1, d, t FROM unnest($2::text[], $3::text[]) AS u(d, t)`, [runId, dependencies, dependents]);
    }
    if (extended.size > 0) {
      await c.query(
        `UPDATE ${s}.tasks t SET depends_on = t.depends_on || x.added, unmet = t.unmet + cardinality(x.added)
         FROM jsonb_to_recordset($2::jsonb) AS x(id text, added text[]) WHERE t.run_id = $1 AND t.id = x.id`,
        [runId, JSON.stringify([...extended].map(([id, ids]) => ({ id, added: ids })))],
      );
    }
    await this.#record(c, runId, ts, staged.drafts);
  }

  /** Numbers `drafts` from the run's counter (held until commit, so seqs are gapless and commit in order), stores them, and wakes listeners at commit. */
  async #record(c: Client, runId: string, ts: string, drafts: readonly QueueEventDraft[]): Promise<QueueEvent[]> {
    const s = this.#s;
    if (drafts.length > 0) this.#recorded.add(c);
    const bumped = await c.query<{ seq: string }>(
      `WITH bumped AS (UPDATE ${s}.runs SET seq = seq + $2, updated_at = $3 WHERE id = $1 RETURNING seq),
       stored AS (
         INSERT INTO ${s}.events (run_id, seq, ts, event, body)
         SELECT $1, b.seq - $2 + d.n, $3, d.e->>'event', d.e || jsonb_build_object('seq', b.seq - $2 + d.n, 'ts', $3::text)
         FROM bumped b CROSS JOIN jsonb_array_elements($4::jsonb) WITH ORDINALITY AS d(e, n)
       )
       SELECT seq FROM bumped`,
      [runId, drafts.length, ts, JSON.stringify(drafts)],
    );
    if (bumped.rowCount !== 1) throw new DroverError('input-invalid', `no run ${runId} in schema ${this.schema}`);
    const first = Number(bumped.rows[0]!.seq) - drafts.length + 1;
    return drafts.map((draft, i) => ({ seq: first + i, ts, ...draft }) as QueueEvent);
  }

  async #load(c: Client, runId: string): Promise<ReturnType<typeof restoreQueueState>> {
    const snapshot = await this.#snapshot(c, runId);
    if (snapshot === undefined) throw new DroverError('input-invalid', `no run ${runId} in schema ${this.schema}`);
    return restoreQueueState(snapshot);
  }

  async #snapshot(c: Client, runId: string): Promise<QueueSnapshot | undefined> {
    const run = (await c.query<{ id: string; install_dir: string; detected: QueueSnapshot['detected']; seq: string; status: QueueSnapshot['status']; seeded: boolean; created_at: string; updated_at: string }>(`SELECT * FROM ${this.#s}.runs WHERE id = $1`, [runId])).rows[0];
    if (run === undefined) return undefined;
    const tasks = await c.query<TaskRow>(`SELECT * FROM ${this.#s}.tasks WHERE run_id = $1 ORDER BY position`, [runId]);
    return {
      version: 1,
      runId: run.id,
      installDir: run.install_dir,
      detected: run.detected,
      seq: Number(run.seq),
      status: run.status,
      seeded: run.seeded,
      createdAt: run.created_at,
      updatedAt: run.updated_at,
      tasks: tasks.rows.map(taskFromRow),
    };
  }

  /**
   * Runs `work` in one transaction holding the run's advisory lock (exclusive for enqueue
   * decisions, shared otherwise), with the database's clock as `ts`. Deadlocks are retried; the
   * NOTIFY goes out with the commit.
   *
   * Exactly once across lost connections: the operation gets an id before its first try, and
   * its transaction inserts that id into `ops` first and stores its result there last. A try
   * that failed on a transient connection error is tried again with the same id; if the earlier
   * try committed after all (its reply was lost), the insert finds the id (waiting for that
   * transaction if it is still finishing), nothing is applied again, and the stored result is
   * returned — or, for `enqueueBatch`, `replay` recomputes it without writing.
   */
  async #tx<T>(operation: string, runId: string, lock: Lock, work: (c: Client, ts: string) => Promise<T>, replay?: (c: Client, ts: string) => Promise<T>): Promise<T> {
    const opId = randomUUID();
    return this.#withRetry(operation, async () => {
      for (let tries = 1; ; tries += 1) {
        const c = await this.#connect();
        try {
          await c.query('BEGIN');
          const fn = lock === 'exclusive' ? 'pg_advisory_xact_lock' : 'pg_advisory_xact_lock_shared';
          const head = await c.query<{ ts: string; fresh: boolean }>(
            `WITH op AS (INSERT INTO ${this.#s}.ops (id, run_id) VALUES ($3, $2) ON CONFLICT (id) DO NOTHING RETURNING id)
             SELECT ${fn}(hashtext($1), hashtext($2)), to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ts, EXISTS (SELECT 1 FROM op) AS fresh`,
            [this.schema, runId, opId],
          );
          const { ts, fresh } = head.rows[0]!;
          let result: T;
          if (fresh) {
            this.#recorded.delete(c);
            result = await work(c, ts);
            // Only a transaction that recorded events wakes waiters: an empty claim notifying would
            // make idle workers on one run wake each other in a loop.
            if (this.#recorded.delete(c)) await c.query(`WITH done AS (UPDATE ${this.#s}.ops SET result = $3 WHERE id = $2) SELECT pg_notify($1, $4)`, [this.#channel, opId, JSON.stringify(result ?? null), runId]);
            else await c.query(`UPDATE ${this.#s}.ops SET result = $2 WHERE id = $1`, [opId, JSON.stringify(result ?? null)]);
            await c.query('COMMIT');
          } else {
            const stored = (await c.query<{ result: unknown }>(`SELECT result FROM ${this.#s}.ops WHERE id = $1`, [opId])).rows[0]?.result;
            result = replay !== undefined ? await replay(c, ts) : ((stored ?? undefined) as T);
            await c.query('ROLLBACK');
          }
          c.release();
          return result;
        } catch (error) {
          if (isQueryTimeout(error)) timedOutOn.set(error as object, serverPid(c));
          const broken = isTransient(error) || (await c.query('ROLLBACK').then(() => false, () => true));
          // A connection that failed is destroyed, never handed back to the pool.
          c.release(broken ? (error as Error) : undefined);
          if (isRetryable(error) && tries < 5) continue;
          throw error;
        }
      }
    });
  }

  /**
   * One hot transition as one statement: the function `fn` of migration 5, called with a fresh
   * operation id, the schema name (its lock key and NOTIFY channel) and `args`. It is its own
   * transaction, with the same guarantees as `#tx` (the run's lock shared, the operation id
   * recorded first, so a retry after a lost reply gets the stored answer). `undefined` when
   * the function declined the case, having changed nothing: the caller then takes the
   * TypeScript path. A named statement, so each connection parses and plans it once.
   */
  async #call<T>(operation: string, fn: string, args: readonly unknown[]): Promise<T | undefined> {
    const opId = randomUUID();
    const values = [opId, this.schema, ...args];
    const statement = { name: `${this.schema}.${fn}`, text: `SELECT ${this.#s}.${fn}(${values.map((_, i) => `$${i + 1}`).join(', ')}) AS out`, values };
    return this.#withRetry(operation, async () => {
      for (let tries = 1; ; tries += 1) {
        const c = await this.#connect();
        try {
          const out = (await c.query<{ out: { state: 'done' | 'replay' | 'fallback'; result?: T } }>(statement)).rows[0]!.out;
          c.release();
          return out.state === 'fallback' ? undefined : (out.result as T);
        } catch (error) {
          if (isQueryTimeout(error)) timedOutOn.set(error as object, serverPid(c));
          c.release(isTransient(error) ? (error as Error) : undefined);
          if (isRetryable(error) && tries < 5) continue;
          throw error;
        }
      }
    });
  }

  /** One statement outside a transaction (reads, and writes that are idempotent as they are), retried like `#tx`. */
  async #query<R extends pg.QueryResultRow>(operation: string, text: string, values?: unknown[]): Promise<pg.QueryResult<R>> {
    return this.#withRetry(operation, async () => {
      const c = await this.#connect();
      try {
        const result = await c.query<R>(text, values);
        c.release();
        return result;
      } catch (error) {
        if (isQueryTimeout(error)) timedOutOn.set(error as object, serverPid(c));
        c.release(isTransient(error) ? (error as Error) : undefined);
        throw error;
      }
    });
  }

  /**
   * Runs `attempt` until it succeeds, fails for a reason other than the connection, or the
   * database has been unreachable for `retryForMs` (then a `DatabaseUnreachableError`, exit 4).
   * Each retry waits `retryDelay` (100 ms doubling to 4 s, with jitter) and is reported to
   * `onRetry` first. `FAIL_FAST` operations are not retried.
   */
  async #withRetry<T>(operation: string, attempt: () => Promise<T>): Promise<T> {
    let since: number | undefined;
    for (let n = 1; ; n += 1) {
      this.#assertOpen();
      try {
        return await attempt();
      } catch (error) {
        if (!isTransient(error) || FAIL_FAST.has(operation)) throw error;
        if (this.#state === 'closed') throw new DroverError('internal', 'the backend is closed', { cause: error });
        // No answer in time: a half-open connection, or a statement that is simply slow on a healthy database.
        if (isQueryTimeout(error) && (await this.#answers(timedOutOn.get(error as object)))) throw this.#tooSlow(operation, error);
        since ??= Date.now();
        const waited = Date.now() - since;
        const delayMs = retryDelay(n);
        if (waited + delayMs > this.#retry.retryForMs) throw new DatabaseUnreachableError(this.#url, operation, waited, error);
        this.#report({ operation, attempt: n, delayMs, error: error as Error });
        await sleep(delayMs, this.#waitSignal());
        if (this.#signal?.aborted === true) throw new DroverError('interrupted', `stopped while waiting for PostgreSQL at ${describeDatabaseUrl(this.#url)} (${operation})`, { cause: error });
      }
    }
  }

  /**
   * After a query timeout: whether the database answers on a fresh connection (within
   * the query timeout, at most `PROBE_TIMEOUT_MS`). If it does, the statement that timed out (server process `pid`) is
   * cancelled there, so it neither runs on nor holds its locks.
   */
  async #answers(pid: number | undefined): Promise<boolean> {
    const timeoutMs = Math.min(PROBE_TIMEOUT_MS, this.#queryTimeoutMs);
    const probe = new pg.Client({ connectionString: this.#url.href, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      if (pid === undefined) {
        await probe.query('SELECT 1');
        return true;
      }
      // Slow only if the statement's server process is still running a statement: gone (the database restarted) or idle (the
      // request or its answer was lost on a half-open connection) is a lost connection, retried.
      const cancelled = await probe.query<{ cancelled: boolean }>(`SELECT pg_cancel_backend(pid) AS cancelled FROM pg_stat_activity WHERE pid = $1 AND state = 'active'`, [pid]);
      return cancelled.rows[0]?.cancelled === true;
    } catch {
      return false;
    } finally {
      void probe.end().catch(() => undefined);
    }
  }

  /** A statement that outlasted the query timeout on a database that answers: retrying it would only run it again. */
  #tooSlow(operation: string, error: unknown): DroverError {
    return new DroverError(
      'state-unwritable',
      `PostgreSQL at ${describeDatabaseUrl(this.#url)} answers, but a statement of ${operation} got no answer within the query timeout (${formatDuration(this.#queryTimeoutMs)}); it was cancelled on the server. The database may be overloaded; a longer --lease raises the timeout.`,
      { cause: error },
    );
  }

  /** What ends a retry wait: `close()`, or the owner's signal (Ctrl-C). */
  #waitSignal(): AbortSignal {
    return this.#signal === undefined ? this.#closing.signal : AbortSignal.any([this.#closing.signal, this.#signal]);
  }

  #report(retry: DatabaseRetry): void {
    try {
      this.#retry.onRetry?.(retry);
    } catch {
      // A reporter that throws must not turn a retry into a failure.
    }
  }

  async #connect(): Promise<Client> {
    let client: Client;
    try {
      client = await this.#pool.connect();
    } catch (error) {
      throw this.#classify(error);
    }
    // A checked-out client whose connection drops also emits 'error' (besides failing its query); the pool listens only while it is idle.
    if (!guarded.has(client)) {
      guarded.add(client);
      client.on('error', () => undefined);
      // The server notices a client that has gone during a statement and ends it (PostgreSQL 14+; an older server
      // refuses the setting, which is harmless): a statement whose client timed out or vanished does not run on.
      await client.query(`SET client_connection_check_interval = '${CONNECTION_CHECK_MS}ms'`).catch(() => undefined);
    }
    return client;
  }

  /** A transient failure stays as it is (to be retried); any other failure to connect becomes one line naming the database. */
  #classify(error: unknown): unknown {
    return isTransient(error) || isDroverError(error) ? error : unreachable(this.#url, error);
  }

  /**
   * For a read-only open: the schema must be there at the version this drover knows. Missing or
   * older (no worker of this version has opened it yet) and newer (this drover is too old) are
   * each one line, exit 2. Nothing is created.
   */
  async #checkSchema(): Promise<void> {
    const where = `${describeDatabaseUrl(this.#url)}?schema=${this.schema}`;
    const table = await this.#pool.query<{ exists: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS exists`, [`${this.#s}.migrations`]);
    if (table.rows[0]?.exists !== true) throw new DroverError('input-invalid', `${where}: no drover schema here (run \`drover run --store\` or \`drover worker\` first)`);
    const newest = (await this.#pool.query<{ v: number | null }>(`SELECT max(version) AS v FROM ${this.#s}.migrations`)).rows[0]?.v ?? 0;
    if (newest > SCHEMA_VERSION) throw new DroverError('input-invalid', `${where}: the drover schema is at version ${newest}, newer than this drover knows (${SCHEMA_VERSION}); upgrade drover`);
    if (newest < SCHEMA_VERSION) throw new DroverError('input-invalid', `${where}: the drover schema is at version ${newest}, older than this drover's (${SCHEMA_VERSION}); a \`drover worker\` or \`drover run --store\` of this version upgrades it (this command only reads)`);
  }

  async #migrate(): Promise<void> {
    const c = await this.#pool.connect();
    try {
      await c.query('BEGIN');
      // Two processes opening a fresh database at once: one migrates, the other waits and finds it done.
      await c.query('SELECT pg_advisory_xact_lock(hashtext($1), 0)', [`${this.schema}.migrate`]);
      await c.query(`CREATE SCHEMA IF NOT EXISTS ${this.#s}`);
      await c.query(`CREATE TABLE IF NOT EXISTS ${this.#s}.migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
      const applied = new Set((await c.query<{ version: number }>(`SELECT version FROM ${this.#s}.migrations`)).rows.map((row) => row.version));
      const newest = Math.max(0, ...applied);
      const known = SCHEMA_VERSION;
      if (newest > known) throw new DroverError('state-corrupt', `database schema ${this.schema} is at version ${newest}, newer than this drover knows (${known}); upgrade drover`);
      for (const migration of MIGRATIONS) {
        if (applied.has(migration.version)) continue;
        await c.query(migration.sql.replaceAll('$S', this.#s));
        await c.query(`INSERT INTO ${this.#s}.migrations (version) VALUES ($1)`, [migration.version]);
      }
      await c.query('COMMIT');
    } catch (error) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      c.release();
    }
  }

  /** Whether the LISTEN connection is up (while it is down, waiters fall back to polling). */
  get listening(): boolean {
    return this.#listener !== undefined;
  }

  /** A dedicated connection for LISTEN. When it breaks it is reconnected with the same backoff as operations, until `close()`. */
  async #listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.#url.href, connectionTimeoutMillis: 10_000, keepAlive: true });
    const lost = (): void => {
      if (this.#listener !== client) return;
      this.#listener = undefined;
      void client.end().catch(() => undefined);
      void this.#relisten();
    };
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', () => this.#board.wakeAll());
    try {
      await client.connect();
      await client.query(`LISTEN "${this.#channel}"`);
    } catch (error) {
      void client.end().catch(() => undefined);
      throw error;
    }
    if (this.#state === 'closed') {
      await client.end();
      return;
    }
    this.#listener = client;
  }

  /** Reconnects LISTEN until it is back or the backend closes; then wakes every waiter, since notifications sent meanwhile were lost. */
  async #relisten(): Promise<void> {
    if (this.#relistening || this.#state === 'closed') return;
    this.#relistening = true;
    try {
      for (let n = 1; this.#state === 'open' && this.#listener === undefined; n += 1) {
        try {
          await this.#listen();
          this.#board.wakeAll();
          return;
        } catch (error) {
          if ((this.#state as BackendState) === 'closed') return;
          const delayMs = retryDelay(n);
          this.#report({ operation: 'listen', attempt: n, delayMs, error: error as Error });
          await sleep(delayMs, this.#closing.signal);
        }
      }
    } finally {
      this.#relistening = false;
    }
  }

  #assertOpen(): void {
    if (this.#state === 'closed') throw new DroverError('internal', 'the backend is closed');
  }
}

/** Events applied to a loaded state and not yet written (`#stager`, `#writeStaged`). */
interface Staged {
  /** How many tasks the run held before. */
  readonly initial: number;
  readonly drafts: QueueEventDraft[];
  readonly stage: (draft: QueueEventDraft) => void;
}

const guarded = new WeakSet<Client>();

/**
 * A reader's connection string: every connection defaults to read-only transactions, so a write
 * from any code path fails in the database. Added to the URL's own `options=` (pg lets those
 * replace the config's), not beside them.
 */
function readOnlyUrl(url: URL): string {
  const readOnly = new URL(url.href);
  const own = readOnly.searchParams.get('options');
  readOnly.searchParams.set('options', `${own !== null && own !== '' ? `${own} ` : ''}-c default_transaction_read_only=on`);
  return readOnly.href;
}

/** The server process a timed-out query ran on (`#answers` cancels it there). */
const timedOutOn = new WeakMap<object, number | undefined>();

/** How often the server checks that a connection's client is still there during a statement (`client_connection_check_interval`). */
const CONNECTION_CHECK_MS = 5000;
/** The longest the probe after a query timeout may take to connect and to answer. */
const PROBE_TIMEOUT_MS = 10_000;

/** The server process of a connection (pg knows it from the start-up handshake; its types do not declare it). */
function serverPid(c: Client): number | undefined {
  const pid = (c as unknown as { processID?: number | null }).processID;
  return typeof pid === 'number' ? pid : undefined;
}

/** pg's own error when a query had no answer within `query_timeout`. */
function isQueryTimeout(error: unknown): boolean {
  return error instanceof Error && error.message === 'Query read timeout';
}

/**
 * Operations that fail at once on a lost connection instead of retrying: they repeat on a timer
 * anyway. The reaper's next tick is its retry; a heartbeat's is the worker's next beat, and a
 * worker must learn in time that it cannot extend its lease (after a whole lease without a beat
 * it presumes the lease lost), not wait minutes inside one call.
 */
const FAIL_FAST = new Set(['reapExpiredLeases', 'heartbeat']);

/** Waits `ms`, or less when `signal` aborts (the backend closed). */
async function sleep(ms: number, signal: AbortSignal): Promise<void> {
  await sleepFor(ms, undefined, { signal }).catch(() => undefined);
}

/**
 * What a claim leaves out: a seed task unless the worker has its seeder (`queue/seed-task.ts`),
 * with `programs`, every task of a run whose program is not among them (the statements join the
 * run as `r`), and with `types`, every other type. Written as literals (escaped), since the claim statements'
 * parameters are positional and reused.
 */
function claimFilter(request: ClaimRequest): string {
  const literal = (values: readonly string[]): string => `ARRAY[${values.map((value) => `'${value.replaceAll("'", "''")}'`).join(',')}]::text[]`;
  return (
    ` AND (t.type <> '${SEED_TASK_TYPE}' OR t.inputs->>'seeder' = ANY(${literal(request.seeders ?? [])}))` +
    (request.programs !== undefined ? ` AND r.program = ANY(${literal(request.programs)})` : '') +
    (request.types !== undefined ? ` AND t.type = ANY(${literal(request.types)})` : '')
  );
}
