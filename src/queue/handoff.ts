/**
 * What a finished task leaves for the agents after it. Every task is a fresh agent with no
 * memory, so this is the only context that carries forward (besides the files themselves).
 */
export interface Handoff {
  readonly taskId: string;
  readonly type: string;
  readonly status: 'done' | 'failed' | 'skipped';
  /** What the task was asked to do. */
  readonly goal: string;
  /** What it actually did. */
  readonly did: string;
  /** What the next agent needs to know. */
  readonly forNextAgent: string;
  readonly filesTouched?: readonly string[];
  readonly evidence?: string;
  readonly assumptions?: string;
  readonly completedAt: string;
}
