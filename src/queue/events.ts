import type { Handoff } from './handoff.js';
import type { Task, TaskError } from './task.js';

/**
 * Everything that changes a run is one of these events. The same events are the audit log
 * (`audit.jsonl`, the source of truth for recovery), the telemetry source and what the UI
 * renders. `seq` is gapless from 1; `ts` is an ISO timestamp given by the caller (queue/ has no
 * clock).
 */
export type QueueEvent =
  | RunStartedEvent
  | RunResumedEvent
  | RunSeededEvent
  | TaskEnqueuedEvent
  | TaskStartedEvent
  | TaskCompletedEvent
  | TaskSkippedEvent
  | TaskFailedEvent
  | TaskRequeuedEvent
  | TaskBlockedEvent
  | GuardTrippedEvent
  | TaskRetriedEvent
  | RunCancelRequestedEvent
  | RunFinishedEvent;

export type QueueEventName = QueueEvent['event'];

interface EventBase {
  readonly seq: number;
  readonly ts: string;
}

/** The framework and package manager found by the seed step, and where the app lives (`.`: the root). */
export interface Detected {
  readonly framework: string | null;
  readonly packageManager: string | null;
  readonly appDir?: string;
}

export interface RunStartedEvent extends EventBase {
  readonly event: 'run-started';
  readonly runId: string;
  readonly installDir: string;
  readonly detected: Detected;
}

export interface RunResumedEvent extends EventBase {
  readonly event: 'run-resumed';
  readonly runId: string;
  /** Tasks that were `running` when the previous process died. */
  readonly interrupted: readonly string[];
}

/**
 * The seed step finished enqueueing the initial graph. A run killed before this event is
 * re-seeded on resume; seeding reuses tasks already enqueued (same type and inputs), so
 * nothing is enqueued twice.
 */
export interface RunSeededEvent extends EventBase {
  readonly event: 'run-seeded';
  readonly taskCount: number;
}

export interface TaskEnqueuedEvent extends EventBase {
  readonly event: 'task-enqueued';
  readonly taskId: string;
  readonly task: Task;
  readonly reason?: string;
  /** Pending sink tasks that now also wait for this task (sinks run last). */
  readonly sinksExtended?: readonly string[];
}

export interface TaskStartedEvent extends EventBase {
  readonly event: 'task-started';
  readonly taskId: string;
  readonly attempt: number;
}

export interface TaskCompletedEvent extends EventBase {
  readonly event: 'task-completed';
  readonly taskId: string;
  readonly handoff: Handoff;
}

export interface TaskSkippedEvent extends EventBase {
  readonly event: 'task-skipped';
  readonly taskId: string;
  readonly handoff: Handoff;
}

export interface TaskFailedEvent extends EventBase {
  readonly event: 'task-failed';
  readonly taskId: string;
  readonly error: TaskError;
  readonly handoff?: Handoff;
}

export interface TaskRequeuedEvent extends EventBase {
  readonly event: 'task-requeued';
  readonly taskId: string;
  readonly error: TaskError;
  /** Attempts used after the requeue; an interrupted attempt is given back, so it is one less than before. */
  readonly attempts?: number;
}

export interface TaskBlockedEvent extends EventBase {
  readonly event: 'task-blocked';
  readonly taskId: string;
  /** The failed (or blocked) dependency this task waited on. */
  readonly blockedBy: string;
}

export interface GuardTrippedEvent extends EventBase {
  readonly event: 'guard-tripped';
  readonly guard: GuardName;
  readonly message: string;
  /** The task whose agent made the refused call, or `orchestrator`. */
  readonly caller: string;
  readonly taskId?: string;
  /** The attempt that made the call, for a task caller. */
  readonly attempt?: number;
  readonly tool: 'enqueue_task' | 'complete_task' | 'read_handoffs';
  readonly type?: string;
}

/**
 * Who asked for an action taken from outside the run (the dashboard): `by` names the surface,
 * `address` the remote address of the request, when there is one. The event's `ts` says when.
 */
export interface ActionActor {
  readonly by: 'dashboard';
  readonly address?: string;
}

/**
 * A person retried a failed task (`drover dashboard --allow-actions`): it is pending again with
 * a fresh attempt budget, and the tasks its failure blocked (`unblocked`) are pending again too.
 * A finished run is reopened (`reopened`: its status is `running` again, and the next
 * `drover run --resume` or worker works it).
 */
export interface TaskRetriedEvent extends EventBase, ActionActor {
  readonly event: 'task-retried';
  readonly taskId: string;
  /** The task's new attempt limit: the attempts it has made plus a fresh budget. Attempt numbers go on (never reused). */
  readonly maxAttempts: number;
  readonly unblocked: readonly string[];
  readonly reopened: boolean;
}

/**
 * A person asked to cancel the run. Nothing new starts; running attempts are stopped and given
 * back; the run then ends with `run-finished` verdict `cancelled`.
 */
export interface RunCancelRequestedEvent extends EventBase, ActionActor {
  readonly event: 'run-cancel-requested';
}

/** How a run ended: `cancelled` after a `run-cancel-requested`. */
export type RunFinishVerdict = 'done' | 'failed' | 'blocked' | 'interrupted' | 'cancelled';

export interface RunFinishedEvent extends EventBase {
  readonly event: 'run-finished';
  readonly verdict: RunFinishVerdict;
  readonly failed: readonly string[];
  readonly blocked: readonly string[];
}

export type GuardName =
  | 'queue-full'
  | 'max-depth'
  | 'max-children'
  | 'unknown-type'
  | 'unknown-dependency'
  | 'duplicate'
  | 'sink-closure'
  | 'sink-started'
  | 'sink-blocked'
  | 'sink-cycle'
  | 'refusal-budget'
  | 'inputs-too-large'
  | 'not-running'
  | 'already-completed'
  | 'not-allowed'
  | 'invalid-input';

/** An event before the queue numbers and stamps it. */
export type QueueEventDraft = QueueEvent extends infer E ? (E extends QueueEvent ? Omit<E, 'seq' | 'ts'> : never) : never;
