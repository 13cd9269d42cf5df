/** Bounds on dynamic enqueue, so a runaway agent cannot grow the queue without end. */
export interface QueueLimits {
  /** Tasks of any status the queue may hold. */
  readonly maxTasks: number;
  /** Enqueue depth: orchestrator tasks are depth 0, a task's children are its depth + 1. */
  readonly maxDepth: number;
  /** Tasks one task may enqueue. */
  readonly maxChildren: number;
  /**
   * Refused tool calls one attempt may make (default 20). The next refusal ends the attempt as
   * failed (a runaway agent) and later ones are answered but not logged, so no agent can fill
   * the audit log with refusals.
   */
  readonly maxRefusalsPerAttempt?: number;
}

/**
 * The most a task's inputs may weigh, serialised (64 KiB), for every enqueue: an agent's and
 * drover's own seed alike. A longer list belongs in a file in the state dir, named in the inputs.
 */
export const MAX_INPUT_BYTES = 65_536;

export const DEFAULT_REFUSALS_PER_ATTEMPT = 20;

export const DEFAULT_LIMITS: QueueLimits = { maxTasks: 200, maxDepth: 4, maxChildren: 20, maxRefusalsPerAttempt: DEFAULT_REFUSALS_PER_ATTEMPT };

export const DEFAULT_MAX_ATTEMPTS = 2;
