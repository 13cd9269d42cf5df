import type { Task } from '../queue/task.js';
import type { ToolSession } from '../tools/tool-session.js';

/** What a fresh agent gets for one attempt of one task. */
export interface AgentContext {
  readonly attempt: number;
  /** The queue tools, bound to this attempt of this task. */
  readonly tools: ToolSession;
  /** The assembled prompt (task inputs, body, upstream handoffs). */
  readonly prompt: string;
  /** Where the prompt was saved (`prompts/<id>.md`), when the run persists prompts. */
  readonly promptFile: string | undefined;
  readonly installDir: string;
  readonly stateDir: string;
  /** The queue tools over MCP, for agents that run as processes: the endpoint and this attempt's token. */
  readonly mcp?: { readonly url: string; readonly token: string };
  /** A line of agent activity for the live view (not persisted by the queue). */
  report(line: string): void;
}

/**
 * The port every agent implements: run one attempt of one task. The attempt succeeds when the
 * agent calls `complete_task` (through `context.tools`); returning without doing so is a failed
 * attempt. `signal` aborts on timeout or interruption — stop promptly when it fires.
 */
export interface AgentRuntime {
  readonly name: string;
  run(task: Task, context: AgentContext, signal: AbortSignal): Promise<void>;
}
