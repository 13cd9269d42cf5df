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

/** What the agent reports (the `complete_task` fields); drover adds who, what status and when. */
export interface HandoffReport {
  readonly goal: string;
  readonly did: string;
  readonly forNextAgent: string;
  readonly filesTouched?: readonly string[] | undefined;
  readonly evidence?: string | undefined;
  readonly assumptions?: string | undefined;
}

/** The handoff of `taskId` from the agent's report, leaving out the optional fields it did not give. */
export function toHandoff(taskId: string, type: string, status: Handoff['status'], report: HandoffReport, completedAt: string): Handoff {
  return {
    taskId,
    type,
    status,
    goal: report.goal,
    did: report.did,
    forNextAgent: report.forNextAgent,
    ...(report.filesTouched !== undefined ? { filesTouched: report.filesTouched } : {}),
    ...(report.evidence !== undefined ? { evidence: report.evidence } : {}),
    ...(report.assumptions !== undefined ? { assumptions: report.assumptions } : {}),
    completedAt,
  };
}
