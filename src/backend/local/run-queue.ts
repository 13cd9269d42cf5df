import { isSeedTask, SEED_TASK_ID, seedCount } from '../../queue/seed-task.js';
import { DroverError, isDroverError } from '../../errors/drover-error.js';
import { stateWriteError } from '../../errors/state-write-error.js';
import { applyEvent } from '../../queue/apply-event.js';
import { decideBlocked } from '../../queue/decide-blocked.js';
import { decideCancel, stageCancel, stoppedVerdict } from '../../queue/decide-cancel.js';
import { decideRetry } from '../../queue/decide-retry.js';
import { decideEnqueue, type BatchEnqueue, type EnqueuePolicy, type EnqueueRequest } from '../../queue/decide-enqueue.js';
import type { ActionActor, Detected, GuardName, QueueEvent, QueueEventDraft } from '../../queue/events.js';
import { toHandoff, type Handoff, type HandoffReport } from '../../queue/handoff.js';
import { emptyQueueState, type QueueState } from '../../queue/queue-state.js';
import { dedupKey } from '../../queue/dedup-key.js';
import { dooms } from '../../queue/satisfies.js';
import type { TaskError } from '../../queue/task.js';
import { DEFAULT_REFUSALS_PER_ATTEMPT } from '../../queue/limits.js';
import type { Store } from '../../store/store.js';
import type { Caller, QueueOperations, ToolOutcome } from '../../queue/queue-operations.js';
import type { QueueToolName } from '../../queue/queue-tool-names.js';

export interface RunIdentity {
  readonly runId: string;
  readonly installDir: string;
  readonly detected: Detected;
}

export type QueueListener = (event: QueueEvent, state: QueueState) => void;

/** Told synchronously when events are applied and handed to the store, before they are durable (see `onStaged`). */
export type StagedListener = (events: readonly QueueEvent[]) => void;

/** A seeder's synchronous enqueue inside `enqueueBatch`: returns the new (or twin) task's id, throws when refused. */
export type { BatchEnqueue } from '../../queue/decide-enqueue.js';

/** How an attempt ended, from the executor's side. */
export type AttemptEnd =
  | { readonly kind: 'returned' }
  | { readonly kind: 'threw'; readonly message: string }
  | { readonly kind: 'timeout'; readonly afterMs: number }
  | { readonly kind: 'runaway' }
  | { readonly kind: 'interrupted' };

/** What a refusal may write to the log: the caller's input is echoed in messages, so it is cut. */
const MAX_GUARD_MESSAGE = 600;
const MAX_GUARD_TYPE = 64;

/**
 * The single writer. It owns the in-memory queue and the store; the tools and the executor
 * change the run only through it. Each change is decided and applied synchronously (so the next
 * decision sees it), then made durable; callers are answered, and listeners told, only once the
 * events are in the log.
 */
export class RunQueue implements QueueOperations {
  readonly state: QueueState;
  readonly #store: Store;
  readonly #policy: EnqueuePolicy;
  readonly #now: () => Date;
  readonly #listeners = new Set<QueueListener>();
  readonly #stagedListeners = new Set<StagedListener>();
  /** Failure reports of attempts that will be retried: committed when the agent has exited, so a retry never overlaps it. */
  readonly #pendingFailures = new Map<string, { attempt: number; handoff: HandoffReport }>();
  /** Refused calls so far, per `taskId#attempt` (or `orchestrator`). */
  readonly #refusals = new Map<string, number>();

  constructor(store: Store, state: QueueState, policy: EnqueuePolicy, now: () => Date = () => new Date()) {
    this.#store = store;
    this.state = state;
    this.#policy = policy;
    this.#now = now;
  }

  /** Starts a new run on an opened, empty store. (`new RunQueue` + `subscribe` + `begin` when listeners must see `run-started`.) */
  static async start(store: Store, run: RunIdentity, policy: EnqueuePolicy, now?: () => Date): Promise<RunQueue> {
    const queue = new RunQueue(store, emptyQueueState(), policy, now);
    await queue.begin(run);
    return queue;
  }

  /** Continues a recovered run (see `recover`). */
  static async resume(store: Store, state: QueueState, policy: EnqueuePolicy, now?: () => Date): Promise<RunQueue> {
    const queue = new RunQueue(store, state, policy, now);
    await queue.recover();
    return queue;
  }

  /** Records `run-started` on an empty queue, and with `seed` the run's seed task in the same commit (see `queue/seed-task.ts`). */
  async begin(run: RunIdentity, seed?: EnqueueRequest): Promise<void> {
    const { runId, installDir, detected } = run;
    await this.#commitStaged((stage) => {
      stage({ event: 'run-started', runId, installDir, detected });
      if (seed !== undefined) this.#stageSeed(stage, seed);
    });
  }

  /**
   * Enqueues the run's seed task unless it has one or is seeded (a run begun before the seed was
   * a task, or one whose `run-started` commit had no seed): what a resume calls. Returns its id.
   */
  async ensureSeedTask(seed: EnqueueRequest): Promise<string | undefined> {
    if (this.state.meta.seeded) return undefined;
    if (!this.state.tasks.has(SEED_TASK_ID)) await this.#commitStaged((stage) => this.#stageSeed(stage, seed));
    return SEED_TASK_ID;
  }

  #stageSeed(stage: (draft: QueueEventDraft) => void, seed: EnqueueRequest): void {
    const decision = decideEnqueue(this.state, seed, 'orchestrator', this.#policy, this.#now().toISOString());
    if (!decision.ok) throw new DroverError('internal', `the seed task was refused: ${decision.message}`);
    stage({ event: 'task-enqueued', taskId: decision.task.id, task: decision.task, ...(seed.reason !== undefined ? { reason: seed.reason } : {}), ...(decision.sinksExtended.length > 0 ? { sinksExtended: decision.sinksExtended } : {}) });
  }

  /**
   * Records `run-resumed` on a recovered queue. Tasks left `running` by a dead drover process go
   * back to `pending` with their attempt given back: attempts count the agent's own failures,
   * and drover's death (SIGKILL, a forced stop, a power cut) is not one. The start backstop
   * still bounds a session, so a task that kills drover each time cannot loop within one.
   */
  async recover(): Promise<void> {
    const interrupted = this.state.byPosition.filter((task) => task.status === 'running');
    await this.#commit([{ event: 'run-resumed', runId: this.state.meta.runId, interrupted: interrupted.map((task) => task.id) }]);
    for (const task of interrupted) {
      await this.#commit([{ event: 'task-requeued', taskId: task.id, error: { kind: 'interrupted', message: 'the drover process stopped while this task ran; the attempt was given back' }, attempts: Math.max(0, task.attempts - 1) }]);
    }
  }

  subscribe(listener: QueueListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get store(): Store {
    return this.#store;
  }

  /** What `enqueue` decides by: the limits, the task types, the sinks. */
  get policy(): EnqueuePolicy {
    return this.#policy;
  }

  async enqueue(request: EnqueueRequest, caller: Caller): Promise<ToolOutcome<{ id: string }>> {
    const by = caller.kind === 'orchestrator' ? 'orchestrator' : caller.taskId;
    if (caller.kind === 'task' && !this.#isCurrent(caller)) {
      return this.#refused(caller, 'enqueue_task', 'not-running', `Task ${caller.taskId} attempt ${caller.attempt} is no longer running, so it cannot enqueue work.`, request.type);
    }
    const decision = decideEnqueue(this.state, request, by, this.#policy, this.#now().toISOString());
    if (!decision.ok) return this.#refused(caller, 'enqueue_task', decision.guard, decision.message, request.type);
    const { task } = decision;
    const drafts: QueueEventDraft[] = [
      { event: 'task-enqueued', taskId: task.id, task, ...(request.reason !== undefined ? { reason: request.reason } : {}), ...(decision.sinksExtended.length > 0 ? { sinksExtended: decision.sinksExtended } : {}) },
    ];
    await this.#commit(drafts, () => {
      const doomedBy = task.dependsOn.find((id) => dooms(this.state.tasks.get(id)!));
      return doomedBy === undefined ? [] : [{ event: 'task-blocked', taskId: task.id, blockedBy: doomedBy }];
    });
    return { ok: true, value: { id: task.id } };
  }

  /**
   * Enqueue for seeders: when a live task with the same type and inputs already exists (a
   * re-seed after a crash), return its id instead of adding a twin.
   */
  async ensure(request: EnqueueRequest): Promise<ToolOutcome<{ id: string }>> {
    const twin = this.state.liveKeys.get(dedupKey(request.type, request.inputs ?? {}));
    if (twin !== undefined) return { ok: true, value: { id: twin } };
    return this.enqueue(request, { kind: 'orchestrator' });
  }

  // --- Group commit (issue 12): a seed in one commit; transitions staged before they are durable.

  /**
   * Seeds many tasks in one commit (one fsync): `build` calls `add` synchronously for each
   * request, in order, each seeing the tasks added before it — so a later request can depend on an
   * earlier one's id. `add` reuses a live twin like `ensure`, and throws on a refused request;
   * whatever was added before the refusal is still committed (with the refusal) before the error
   * propagates.
   */
  async enqueueBatch<T>(build: (add: BatchEnqueue) => T): Promise<T> {
    let refused: Error | undefined;
    let result: T | undefined;
    await this.#commitStaged((stage) => {
      const add: BatchEnqueue = (request) => {
        const twin = this.state.liveKeys.get(dedupKey(request.type, request.inputs ?? {}));
        if (twin !== undefined) return twin;
        const decision = decideEnqueue(this.state, request, 'orchestrator', this.#policy, this.#now().toISOString());
        if (!decision.ok) {
          stage({ event: 'guard-tripped', guard: decision.guard, message: decision.message, caller: 'orchestrator', tool: 'enqueue_task', type: request.type });
          throw new Error(`seeding refused by guard ${decision.guard}: ${decision.message}`);
        }
        const { task } = decision;
        stage({ event: 'task-enqueued', taskId: task.id, task, ...(request.reason !== undefined ? { reason: request.reason } : {}), ...(decision.sinksExtended.length > 0 ? { sinksExtended: decision.sinksExtended } : {}) });
        const doomedBy = task.dependsOn.find((id) => dooms(this.state.tasks.get(id)!));
        if (doomedBy !== undefined) stage({ event: 'task-blocked', taskId: task.id, blockedBy: doomedBy });
        return task.id;
      };
      try {
        result = build(add);
      } catch (error) {
        refused = error as Error;
      }
    });
    if (refused !== undefined) throw refused;
    return result as T;
  }

  /**
   * `listener` is told of events as soon as they are applied and handed to the store, before
   * they are durable. The executor uses it to stage the start a completion enables into the same
   * commit; nothing may act outside the process on a staged event (an agent runs only once its
   * `task-started` is durable, which implies everything staged before it is too).
   */
  onStaged(listener: StagedListener): () => void {
    this.#stagedListeners.add(listener);
    return () => this.#stagedListeners.delete(listener);
  }

  // --- end group commit

  /** Records that the seed step finished enqueueing the initial graph. */
  async markSeeded(): Promise<void> {
    await this.#commit([{ event: 'run-seeded', taskCount: this.state.tasks.size - seedCount(this.state) }]);
  }

  async complete(caller: Caller, status: Handoff['status'], input: HandoffReport): Promise<ToolOutcome<{ status: Handoff['status'] }>> {
    if (caller.kind !== 'task') {
      return this.#refused(caller, 'complete_task', 'not-allowed', 'complete_task can only be called by a running task agent.');
    }
    const task = this.state.tasks.get(caller.taskId);
    if (task === undefined || task.attempts !== caller.attempt) {
      return this.#refused(caller, 'complete_task', 'not-running', `Task ${caller.taskId} attempt ${caller.attempt} is not running; its result cannot be recorded.`);
    }
    if (this.#pendingFailures.has(task.id) || (task.status !== 'running' && task.status !== 'pending')) {
      const reported = this.#pendingFailures.has(task.id) ? 'failed' : task.status;
      return this.#refused(caller, 'complete_task', 'already-completed', `Task ${task.id} already reported its result (${reported}); complete_task may be called once per task. Stop here.`);
    }
    if (task.status !== 'running') {
      return this.#refused(caller, 'complete_task', 'not-running', `Task ${task.id} attempt ${caller.attempt} is not running; its result cannot be recorded.`);
    }
    const handoff = toHandoff(task.id, task.type, status, input, this.#now().toISOString());
    if (status === 'failed' && task.attempts < task.maxAttempts) {
      this.#pendingFailures.set(task.id, { attempt: caller.attempt, handoff: input });
      return { ok: true, value: { status } };
    }
    // The transition is applied before the first await, so a second call, or the executor
    // ending the attempt, sees the task finished and cannot record a second result. The
    // handoff is in the event; handoffs/<id>.json is a readable copy written after it.
    if (status === 'failed') await this.#fail(task.id, { kind: 'agent-failed', message: input.forNextAgent }, handoff);
    else {
      // The seed task's result is what marks the run seeded: both in one commit.
      const seeded: QueueEventDraft[] = isSeedTask(task) && !this.state.meta.seeded ? [{ event: 'run-seeded', taskCount: this.state.tasks.size - seedCount(this.state) }] : [];
      await this.#commit([{ event: status === 'done' ? 'task-completed' : 'task-skipped', taskId: task.id, handoff }, ...seeded]);
    }
    await this.#store.writeHandoff(handoff);
    return { ok: true, value: { status } };
  }

  readHandoffs(query: { taskId?: string | undefined; type?: string | undefined }, caller: Caller): Handoff[] {
    const { handoffs, tasks } = this.state;
    if (query.taskId !== undefined) {
      const handoff = handoffs.get(query.taskId);
      return handoff === undefined ? [] : [handoff];
    }
    if (query.type !== undefined) {
      return this.state.byPosition.filter((task) => task.type === query.type && handoffs.has(task.id)).map((task) => handoffs.get(task.id)!);
    }
    if (caller.kind === 'orchestrator') return [];
    const self = tasks.get(caller.taskId);
    return (self?.dependsOn ?? []).flatMap((id) => {
      const handoff = handoffs.get(id);
      return handoff === undefined ? [] : [handoff];
    });
  }

  /** Records a refused call; resolves to the guard it counts as (`refusal-budget` past the caller's budget). */
  async refuse(caller: Caller, tool: QueueToolName, guard: GuardName, message: string): Promise<GuardName> {
    return (await this.refusal(caller, tool, guard, message)).guard;
  }

  /** Records a refused call and returns the answer for the caller: this refusal, or the refusal budget's once it is spent. */
  async refusal(caller: Caller, tool: QueueToolName, guard: GuardName, message: string): Promise<{ readonly ok: false; readonly guard: GuardName; readonly message: string }> {
    return this.#refused(caller, tool, guard, message);
  }

  /** Marks a ready task running (a new attempt) and returns the attempt number. */
  async markStarted(taskId: string): Promise<number> {
    const attempt = this.state.tasks.get(taskId)!.attempts + 1;
    await this.#commit([{ event: 'task-started', taskId, attempt }]);
    return attempt;
  }

  /**
   * Called when an attempt's agent has exited. If the agent never reported (or reported a
   * failure that will be retried), the attempt is over: requeue while attempts remain, else fail.
   * An interrupted attempt is given back, so stopping a run never costs a task its retry.
   */
  async finishAttempt(taskId: string, attempt: number, end: AttemptEnd): Promise<void> {
    const task = this.state.tasks.get(taskId);
    if (task === undefined || task.status !== 'running' || task.attempts !== attempt) return;
    const reported = this.#pendingFailures.get(taskId);
    this.#pendingFailures.delete(taskId);
    if (end.kind === 'interrupted') {
      await this.#commit([{ event: 'task-requeued', taskId, error: { kind: 'interrupted', message: 'the run was interrupted; the task will start again on resume' }, attempts: attempt - 1 }]);
      return;
    }
    const error: TaskError =
      end.kind === 'runaway'
        ? { kind: 'runaway', message: `runaway agent: more than ${this.#refusalBudget()} of its tool calls in this attempt were refused, so it was stopped` }
        : reported !== undefined
        ? { kind: 'agent-failed', message: reported.handoff.forNextAgent }
        : end.kind === 'timeout'
          ? { kind: 'timeout', message: `the agent did not finish within ${end.afterMs} ms and was stopped` }
          : end.kind === 'threw'
            ? { kind: 'crashed', message: end.message }
            : { kind: 'no-report', message: 'the agent ended without calling complete_task' };
    await this.#endAttempt(taskId, error);
  }

  /** Fails pending tasks that will never start (the start backstop tripped). */
  async abandon(taskIds: readonly string[], error: TaskError): Promise<void> {
    for (const taskId of taskIds) {
      if (this.state.tasks.get(taskId)?.status === 'pending') await this.#fail(taskId, error);
    }
  }

  /** An `interrupted` finish of a run someone asked to cancel is recorded as `cancelled`. */
  async finish(verdict: 'done' | 'failed' | 'blocked' | 'interrupted' | 'cancelled', failed: readonly string[], blocked: readonly string[]): Promise<void> {
    await this.#commit([{ event: 'run-finished', verdict: verdict === 'interrupted' ? stoppedVerdict(this.state) : verdict, failed, blocked }]);
  }

  /**
   * A person retried a failed task (`task-retried`): refused (with the reason) unless it is
   * failed; a finished run is reopened. A draining run starts it like any ready task.
   */
  async retryTask(taskId: string, actor: ActionActor): Promise<{ ok: true; reopened: boolean } | { ok: false; message: string }> {
    const decision = decideRetry(this.state, taskId, this.#policy.defaultMaxAttempts);
    if (!decision.ok) return decision;
    await this.#commit([{ ...decision.draft, ...actor }]);
    return { ok: true, reopened: decision.draft.reopened };
  }

  /**
   * A person asked to cancel the run. `settle`: no process drains it (the dashboard took the
   * lock of a stopped run), so it ends here; otherwise only the request is recorded and the
   * draining process, which watches for it, stops its agents and records `run-finished`.
   */
  async requestCancel(actor: ActionActor, settle: boolean): Promise<{ ok: true } | { ok: false; message: string }> {
    const decision = decideCancel(this.state);
    if (!decision.ok) return decision;
    if (settle) await this.#commitStaged((stage) => stageCancel(this.state, actor, stage));
    else await this.#commit([{ event: 'run-cancel-requested', ...actor }]);
    return { ok: true };
  }

  async close(): Promise<void> {
    await this.#store.close(this.state);
  }

  #refusalBudget(): number {
    return this.#policy.limits.maxRefusalsPerAttempt ?? DEFAULT_REFUSALS_PER_ATTEMPT;
  }

  #isCurrent(caller: Extract<Caller, { kind: 'task' }>): boolean {
    const task = this.state.tasks.get(caller.taskId);
    return task !== undefined && task.status === 'running' && task.attempts === caller.attempt;
  }

  async #endAttempt(taskId: string, error: TaskError): Promise<void> {
    const task = this.state.tasks.get(taskId)!;
    if (task.attempts < task.maxAttempts) await this.#commit([{ event: 'task-requeued', taskId, error }]);
    else await this.#fail(taskId, error);
  }

  async #fail(taskId: string, error: TaskError, handoff?: Handoff): Promise<void> {
    await this.#commit([{ event: 'task-failed', taskId, error, ...(handoff !== undefined ? { handoff } : {}) }], () =>
      decideBlocked(this.state, taskId).map(({ taskId: id, blockedBy }) => ({ event: 'task-blocked' as const, taskId: id, blockedBy })),
    );
  }

  /**
   * Records a refused call as `guard-tripped`, bounded: the message and type are cut, and each
   * attempt (and the orchestrator) has a budget of refusals. The call past the budget is logged
   * once as `refusal-budget` (the executor then stops that attempt as a runaway agent); later
   * ones are still refused but no longer logged, so an agent in a loop cannot grow the log.
   */
  async #refused(caller: Caller, tool: QueueToolName, guard: GuardName, message: string, type?: string): Promise<{ readonly ok: false; readonly guard: GuardName; readonly message: string }> {
    const by = caller.kind === 'orchestrator' ? 'orchestrator' : caller.taskId;
    const key = caller.kind === 'orchestrator' ? 'orchestrator' : `${caller.taskId}#${caller.attempt}`;
    const count = (this.#refusals.get(key) ?? 0) + 1;
    this.#refusals.set(key, count);
    const budget = this.#refusalBudget();
    const [tripped, text] =
      count > budget
        ? (['refusal-budget', `Too many refused calls: this ${caller.kind === 'task' ? 'attempt' : 'seed step'} made ${count} (the limit is ${budget}), so it is being stopped as a runaway agent. Stop calling tools.`] as const)
        : ([guard, cut(message, MAX_GUARD_MESSAGE)] as const);
    if (count <= budget + 1) {
      const fields = { ...(caller.kind === 'task' ? { taskId: caller.taskId, attempt: caller.attempt } : {}), ...(type !== undefined ? { type: cut(type, MAX_GUARD_TYPE) } : {}) };
      await this.#commit([{ event: 'guard-tripped', guard: tripped, message: text, caller: by, tool, ...fields }]);
    }
    return { ok: false, guard: tripped, message: text };
  }

  /**
   * Numbers, stamps and applies `drafts` (and any follow-ups computed from the state after
   * them), then waits until the store holds them, then tells listeners.
   */
  async #commit(drafts: readonly QueueEventDraft[], followUps?: () => readonly QueueEventDraft[]): Promise<void> {
    await this.#commitStaged((stamp) => {
      drafts.forEach(stamp);
      followUps?.().forEach(stamp);
    });
  }

  /**
   * `build` stamps and applies events one by one (each sees the state after the previous); they
   * are handed to the store together, staged listeners are told, and the commit resolves once they
   * are durable. A store failure is a `StateWriteError` (exit 4), never an agent's fault.
   */
  async #commitStaged(build: (stamp: (draft: QueueEventDraft) => void) => void): Promise<void> {
    const events: QueueEvent[] = [];
    const ts = this.#now().toISOString();
    build((draft) => {
      const event = { seq: this.state.meta.seq + 1, ts, ...draft } as QueueEvent;
      applyEvent(this.state, event);
      events.push(event);
    });
    if (events.length === 0) return;
    const durable = this.#store.append(events, this.state);
    for (const listener of this.#stagedListeners) listener(events);
    try {
      await durable;
    } catch (error) {
      throw isDroverError(error) ? error : stateWriteError('the state directory', error);
    }
    for (const event of events) for (const listener of this.#listeners) notify(listener, event, this.state);
  }
}

/** A listener (the UI, telemetry) that throws must never break a transition: report it once and go on. */
function notify(listener: QueueListener, event: QueueEvent, state: QueueState): void {
  try {
    listener(event, state);
  } catch (error) {
    if (!failedListeners.has(listener)) {
      failedListeners.add(listener);
      process.stderr.write(`drover: a run listener failed and was skipped: ${(error as Error).message}\n`);
    }
  }
}
const failedListeners = new WeakSet<QueueListener>();

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
