/** Bounds on dynamic enqueue, so a runaway agent cannot grow the queue without end. */
export interface QueueLimits {
  /** Tasks of any status the queue may hold. */
  readonly maxTasks: number;
  /** Enqueue depth: orchestrator tasks are depth 0, a task's children are its depth + 1. */
  readonly maxDepth: number;
  /** Tasks one task may enqueue. */
  readonly maxChildren: number;
}

export const DEFAULT_LIMITS: QueueLimits = { maxTasks: 200, maxDepth: 4, maxChildren: 20 };

export const DEFAULT_MAX_ATTEMPTS = 2;
