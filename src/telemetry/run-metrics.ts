import type { QueueEvent, QueueEventName } from '../queue/events.js';
import type { TaskStatus } from '../queue/task.js';

/**
 * Run-level responsiveness metrics, computed incrementally from the queue events (O(1) per
 * event), so `orchestrator run finished` and a live view share one definition.
 *
 * Pure: no clock is read. Every call says what time it is — `observe(event, atMs)` (the
 * telemetry observer passes the event's own `ts`, so the numbers can be reproduced from
 * `audit.jsonl`), `begin(startMs)`, `finish(endMs)`, `snapshot(nowMs)`.
 *
 * **Scope: one process session.** A resumed run is a new process with a new start; a metric
 * that spanned sessions would count the hours the run sat dead between them. So:
 *
 * - *Flows* (what happened: starts, enqueues, retries, guard trips, and every timing) cover
 *   this session only, from `begin()` to `finish()`. They add up across the sessions of a run
 *   without double counting.
 * - *Stocks* (`tasks_*` by status) are the whole run's queue as it stands: `begin()` takes the
 *   tasks already in the queue, and events keep them current. They match the verdict the user
 *   sees.
 *
 * **Timings** are milliseconds from the session start, and `null` — never 0 — when the
 * transition did not happen in this session.
 *
 * **`max_gap_ms`** is the longest silence the user sat through: the largest difference between
 * consecutive points of the sequence
 *
 *     session start, visible transition 1, …, visible transition n, session end
 *
 * where the visible transitions are `task-enqueued`, `task-started`, `task-completed`,
 * `task-failed`, `task-skipped`, `task-requeued` and `task-blocked` (each changes what the task
 * list shows). Guard trips, seeding and run bookkeeping are not visible. The window is closed at
 * both ends, so a slow first start and a long wait for the last task both count, and a session
 * with no visible transition has `max_gap_ms = total_duration_ms`. Before the session ends,
 * `snapshot(now)` closes the window at `now`, so the silence still going on counts too. Unlike
 * the PostHog wizard, a requeue counts as visible: drover's task list shows the retry.
 */
export interface RunMetrics {
  /** Tasks in the queue (whole run). */
  readonly tasks_total: number;
  readonly tasks_done: number;
  readonly tasks_failed: number;
  readonly tasks_skipped: number;
  readonly tasks_blocked: number;
  readonly tasks_pending: number;
  readonly tasks_running: number;
  /** Session start to session end (or to now, while the session runs). */
  readonly total_duration_ms: number;
  /** Session start to the first `task-started`. */
  readonly time_to_first_task_ms: number | null;
  /** Session start to the first `task-completed` (a skip or failure is not a completion). */
  readonly time_to_first_completion_ms: number | null;
  /** Session start to `run-seeded` (null when the run was seeded by an earlier session). */
  readonly time_to_seeded_ms: number | null;
  /** The longest silence between visible transitions; see the module header. */
  readonly max_gap_ms: number;
  /** Attempts started (`task-started` events). */
  readonly task_start_count: number;
  /** Tasks enqueued by a running task rather than by the orchestrator. */
  readonly dynamic_enqueue_count: number;
  /** Distinct tasks started at least once with `attempt > 1`, i.e. retried after a failed attempt. */
  readonly retried_task_count: number;
  /** `task-requeued` events: attempts that failed, timed out or crashed with attempts left. */
  readonly requeue_count: number;
  /** `guard-tripped` events: agent tool calls the queue refused. */
  readonly guard_trip_count: number;
  /** Whether this session continued an earlier one. */
  readonly resumed: boolean;
  /** Tasks that were running when the previous process died (0 unless resumed). */
  readonly interrupted_task_count: number;
}

export interface BeginOptions {
  readonly resumed?: boolean;
  /** The tasks already in the queue when the session starts (a resumed run's recovered state). */
  readonly tasks?: Iterable<{ readonly id: string; readonly status: TaskStatus }>;
}

const VISIBLE: ReadonlySet<QueueEventName> = new Set(['task-enqueued', 'task-started', 'task-completed', 'task-failed', 'task-skipped', 'task-requeued', 'task-blocked']);

export class RunMetricsTracker {
  #startMs: number | null = null;
  #endMs: number | null = null;
  #firstVisibleMs: number | null = null;
  #lastVisibleMs: number | null = null;
  #maxGapMs = 0;
  /** Where the longest gap so far began. */
  #maxGapFromMs: number | null = null;
  #firstStartMs: number | null = null;
  #lastStartMs: number | null = null;
  #firstCompletionMs: number | null = null;
  #seededMs: number | null = null;
  #starts = 0;
  #dynamic = 0;
  #requeues = 0;
  #guardTrips = 0;
  #resumed = false;
  #interrupted = 0;
  readonly #retried = new Set<string>();
  readonly #status = new Map<string, TaskStatus>();
  readonly #counts: Record<TaskStatus, number> = { pending: 0, running: 0, done: 0, failed: 0, skipped: 0, blocked: 0 };

  /**
   * Starts the session. Events observed before `begin` are kept: the session then starts at
   * the earlier of `startMs` and the first event, so the order in which a runner calls its
   * observers does not change the numbers.
   */
  begin(startMs: number, options: BeginOptions = {}): void {
    if (this.#startMs === null || startMs < this.#startMs) {
      this.#startMs = startMs;
      if (this.#firstVisibleMs !== null) this.#noteGap(startMs, this.#firstVisibleMs);
    }
    if (options.resumed === true) this.#resumed = true;
    for (const task of options.tasks ?? []) this.#setStatus(task.id, task.status);
  }

  observe(event: QueueEvent, atMs: number): void {
    if (this.#startMs === null) this.#startMs = atMs;
    if (VISIBLE.has(event.event) && this.#endMs === null) this.#markVisible(atMs);
    switch (event.event) {
      case 'run-started':
        break;
      case 'run-resumed':
        this.#resumed = true;
        this.#interrupted = event.interrupted.length;
        break;
      case 'run-seeded':
        this.#seededMs ??= atMs;
        break;
      case 'task-enqueued':
        this.#setStatus(event.taskId, event.task.status);
        if (event.task.enqueuedBy !== 'orchestrator') this.#dynamic += 1;
        break;
      case 'task-started':
        this.#setStatus(event.taskId, 'running');
        this.#starts += 1;
        this.#firstStartMs ??= atMs;
        this.#lastStartMs = atMs;
        if (event.attempt > 1) this.#retried.add(event.taskId);
        break;
      case 'task-completed':
        this.#setStatus(event.taskId, 'done');
        this.#firstCompletionMs ??= atMs;
        break;
      case 'task-skipped':
        this.#setStatus(event.taskId, 'skipped');
        break;
      case 'task-failed':
        this.#setStatus(event.taskId, 'failed');
        break;
      case 'task-requeued':
        this.#setStatus(event.taskId, 'pending');
        this.#requeues += 1;
        break;
      case 'task-blocked':
        this.#setStatus(event.taskId, 'blocked');
        break;
      case 'guard-tripped':
        this.#guardTrips += 1;
        break;
      case 'run-finished':
        this.finish(atMs);
        break;
    }
  }

  /** Closes the window. The first call wins: `run-finished` and the runner's end both call it. */
  finish(endMs: number): void {
    if (this.#endMs !== null) return;
    this.#startMs ??= endMs;
    this.#endMs = Math.max(endMs, this.#lastVisibleMs ?? this.#startMs);
  }

  snapshot(nowMs: number): RunMetrics {
    const end = this.#endMs ?? nowMs;
    const start = this.#startMs ?? end;
    const since = (ms: number | null): number | null => (ms === null ? null : Math.max(0, ms - start));
    const tailGap = Math.max(0, end - (this.#lastVisibleMs ?? start));
    const counts = this.#counts;
    return {
      tasks_total: this.#status.size,
      tasks_done: counts.done,
      tasks_failed: counts.failed,
      tasks_skipped: counts.skipped,
      tasks_blocked: counts.blocked,
      tasks_pending: counts.pending,
      tasks_running: counts.running,
      total_duration_ms: Math.max(0, end - start),
      time_to_first_task_ms: since(this.#firstStartMs),
      time_to_first_completion_ms: since(this.#firstCompletionMs),
      time_to_seeded_ms: since(this.#seededMs),
      max_gap_ms: Math.max(this.#maxGapMs, tailGap),
      task_start_count: this.#starts,
      dynamic_enqueue_count: this.#dynamic,
      retried_task_count: this.#retried.size,
      requeue_count: this.#requeues,
      guard_trip_count: this.#guardTrips,
      resumed: this.#resumed,
      interrupted_task_count: this.#interrupted,
    };
  }

  /** Where the longest gap (`max_gap_ms` of `snapshot(nowMs)`) began: for marking it on a timeline. */
  longestGapStartMs(nowMs: number): number | null {
    const end = this.#endMs ?? nowMs;
    const from = this.#lastVisibleMs ?? this.#startMs;
    if (from !== null && end - from > this.#maxGapMs) return from;
    return this.#maxGapFromMs ?? this.#startMs;
  }

  /** When the session started (null before `begin` or the first event). */
  get startedAtMs(): number | null {
    return this.#startMs;
  }

  /** The latest `task-started` so far, for "gap since the previous start". */
  get lastTaskStartAtMs(): number | null {
    return this.#lastStartMs;
  }

  /** The latest visible transition, for a live "quiet for …" display. */
  get lastTransitionAtMs(): number | null {
    return this.#lastVisibleMs;
  }

  #markVisible(atMs: number): void {
    const from = this.#lastVisibleMs ?? this.#startMs ?? atMs;
    this.#noteGap(from, atMs);
    this.#firstVisibleMs ??= atMs;
    // A clock stepping backwards must not open a negative gap or shrink the next one.
    this.#lastVisibleMs = Math.max(from, atMs);
  }

  #noteGap(fromMs: number, toMs: number): void {
    if (toMs - fromMs <= this.#maxGapMs) return;
    this.#maxGapMs = toMs - fromMs;
    this.#maxGapFromMs = fromMs;
  }

  #setStatus(taskId: string, status: TaskStatus): void {
    const previous = this.#status.get(taskId);
    if (previous === status) return;
    if (previous !== undefined) this.#counts[previous] -= 1;
    this.#counts[status] += 1;
    this.#status.set(taskId, status);
  }
}
