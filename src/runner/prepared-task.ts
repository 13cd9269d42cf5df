import type { AgentHints } from '../agents/agent-runtime.js';
import type { QueueToolName } from '../tools/tool-schemas.js';

/** What a task's agent is given besides the tools: its prompt, and which tools it may call. */
export interface PreparedTask {
  readonly prompt: string;
  readonly promptFile?: string;
  readonly allowedTools?: readonly QueueToolName[];
  /** The frontmatter's asks of the agent CLI (own tools, model, effort). */
  readonly hints?: AgentHints;
}
