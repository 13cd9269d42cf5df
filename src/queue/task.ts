/**
 * A task's lifecycle.
 *
 * | from      | event           | to        |
 * |-----------|-----------------|-----------|
 * | (none)    | task-enqueued   | pending   |
 * | pending   | task-started    | running   |
 * | running   | task-completed  | done      |
 * | running   | task-skipped    | skipped   |
 * | running   | task-requeued   | pending   |  an attempt failed and attempts remain
 * | running   | task-failed     | failed    |  the last attempt failed
 * | pending   | task-failed     | failed    |  the start backstop or a resume gave up on it
 * | pending   | task-blocked    | blocked   |  a required dependency failed or was blocked
 * | failed    | task-retried    | pending   |  a person retried it (dashboard); attempts go on from where they were
 * | blocked   | task-retried    | pending   |  the retried task's failure had blocked it
 *
 * `done`, `skipped`, `failed` and `blocked` are terminal, except that a person may retry a
 * failed task (and so reopen what it blocked).
 */
export type TaskStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped' | 'blocked';

export const TERMINAL_STATUSES: ReadonlySet<TaskStatus> = new Set(['done', 'failed', 'skipped', 'blocked']);

export function isTerminal(status: TaskStatus): boolean {
  return TERMINAL_STATUSES.has(status);
}

/** Who put a task in the queue: the orchestrator (seed step) or the id of the running task whose agent enqueued it. */
export type EnqueuedBy = 'orchestrator' | (string & {});

export interface TaskError {
  /**
   * `agent-failed`: the agent reported failure; `no-report`: it ended without `complete_task`;
   * `timeout`; `crashed`; `runaway`: it made more refused tool calls than an attempt may;
   * `blocked`; `backstop`; `interrupted`: drover stopped (the attempt was given back).
   */
  readonly kind: 'agent-failed' | 'no-report' | 'timeout' | 'crashed' | 'runaway' | 'blocked' | 'backstop' | 'interrupted';
  readonly message: string;
  /** For `blocked`: the dependency that failed. */
  readonly dependency?: string;
}

export interface Task {
  readonly id: string;
  readonly type: string;
  readonly label: string;
  status: TaskStatus;
  readonly dependsOn: readonly string[];
  readonly inputs: Readonly<Record<string, unknown>>;
  attempts: number;
  /** Attempts allowed in all; a retry from the dashboard (`task-retried`) raises it by a fresh budget. */
  maxAttempts: number;
  readonly enqueuedBy: EnqueuedBy;
  /** 0 for orchestrator tasks, parent depth + 1 for a task enqueued by a running task. */
  readonly depth: number;
  /** An optional task's terminal failure satisfies its dependents and never fails the run. */
  readonly optional: boolean;
  /** A sink (the final report, say) runs last: it waits for every other task, including ones enqueued after it. */
  readonly sink?: boolean;
  /** Globs of the paths this task writes (its write scope); tasks with overlapping scopes never run at once. */
  readonly writes?: readonly string[];
  readonly createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  error?: TaskError;
}

/** Task ids are assigned by drover and are safe file names. */
export const TASK_ID_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;
