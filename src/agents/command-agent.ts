import type { Task } from '../queue/task.js';
import { splitCommandLine } from '../util/split-command-line.js';
import type { AgentContext, AgentRuntime } from './agent-runtime.js';
import { agentEnv, mcpConfigPath, runAgentProcess } from './run-agent-process.js';

export interface CommandAgentOptions {
  /** The command line, e.g. `claude -p --mcp-config {mcp_config} "$(cat {prompt_file})"` — run without a shell. */
  readonly command: string;
  /** Extra environment for every agent process. */
  readonly env?: NodeJS.ProcessEnv;
  /** After SIGTERM on timeout or interruption, how long before SIGKILL. */
  readonly killGraceMs?: number;
  /** Output kept per attempt in `logs/<id>.log` (the tail is kept; default 4 MiB). */
  readonly logCapBytes?: number;
}

/**
 * Runs any agent CLI as one fresh process per attempt, without a shell. The process gets the
 * task through environment variables and placeholders, reaches the queue tools over MCP with a
 * token valid only for this attempt, and writes stdout/stderr to `logs/<id>.log` (its last line
 * feeds the live view). It runs in its own process group, so a timeout or Ctrl-C kills the whole
 * tree. A non-zero exit is a failed attempt; so is a zero exit without `complete_task`.
 */
export function commandAgent(options: CommandAgentOptions): AgentRuntime {
  const argvTemplate = splitCommandLine(options.command);
  return {
    name: 'command',
    async run(task: Task, context: AgentContext, signal: AbortSignal): Promise<void> {
      const values: Record<string, string> = { prompt_file: context.promptFile ?? '', mcp_config: mcpConfigPath(context), task_id: task.id, install_dir: context.installDir };
      const [command, ...args] = argvTemplate.map((arg) => arg.replace(/\{(prompt_file|mcp_config|task_id|install_dir)\}/g, (_, name: string) => values[name]!));
      await runAgentProcess(task, context, signal, { command: command!, args, env: agentEnv(task, context, options.env), killGraceMs: options.killGraceMs ?? 3000, ...(options.logCapBytes !== undefined ? { logCapBytes: options.logCapBytes } : {}) });
    },
  };
}
