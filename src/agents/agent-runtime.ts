import type { Task } from '../queue/task.js';
import type { ToolSession } from '../tools/tool-session.js';
import type { AttemptWorkspace } from '../workspace/workspace.js';

/**
 * What the task's prompt frontmatter asks of the agent CLI itself, for runtimes that map it onto
 * the CLI's flags: its own tools (the queue tools are already filtered by drover), a model and a
 * reasoning effort.
 */
export interface AgentHints {
  /** Tools the agent may use besides drover's (`Read`, `Edit`, `Bash(npm test)`). */
  readonly allowedTools: readonly string[];
  /** Tools the agent must not use. */
  readonly disallowedTools: readonly string[];
  /** The drover queue tools this attempt may call (bare names). */
  readonly queueTools: readonly string[];
  readonly model?: string;
  readonly effort?: string;
}

/** What a fresh agent gets for one attempt of one task. */
export interface AgentContext {
  /** The run the task belongs to (set by the worker; a library caller's own context may leave it out). */
  readonly runId?: string;
  readonly attempt: number;
  /** The queue tools, bound to this attempt of this task. */
  readonly tools: ToolSession;
  /** The assembled prompt (task inputs, body, upstream handoffs). */
  readonly prompt: string;
  /** Where the prompt was saved (`prompts/<id>.md`), when the run persists prompts. */
  readonly promptFile: string | undefined;
  readonly installDir: string;
  /** The run's state dir (a worker's own `runs/<runId>/`), passed on as `DROVER_STATE_DIR`; write through `workspace`, not here. */
  readonly stateDir: string;
  /** Where this attempt's files go (prompt, log, marker, agent config, live process group): agents never build these paths. */
  readonly workspace: AttemptWorkspace;
  /** The queue tools over MCP, for agents that run as processes: the endpoint and this attempt's token. */
  readonly mcp?: { readonly url: string; readonly token: string };
  /** What the prompt's frontmatter asks of the agent CLI (tools, model, effort), when the task has a prompt. */
  readonly hints?: AgentHints;
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
