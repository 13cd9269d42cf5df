import type { Task } from '../queue/task.js';
import type { AgentContext, AgentRuntime } from './agent-runtime.js';
import { cliAgentRuntime, mcpConfigPath, type CliAgentOptions } from './run-agent-process.js';

export type { CliAgentOptions };

const QUEUE_TOOLS = ['enqueue_task', 'complete_task', 'read_handoffs'];

/**
 * Claude Code (`claude -p`) as the agent: one fresh, non-interactive session per attempt.
 *
 * - The prompt goes on stdin, so no option that takes a list can swallow it and no prompt is
 *   too long for argv.
 * - drover's endpoint comes from a 0600 per-attempt `--mcp-config` file with the literal token
 *   (`--strict-mcp-config`: the user's own MCP servers are not loaded into a task).
 * - `--allowedTools` pre-approves drover's tools the task may call (`mcp__drover__…`) and the
 *   prompt's own `allowedTools`; `--permission-mode acceptEdits` lets it edit files in the
 *   install dir; anything else that would need a person to approve (Bash, the web) is denied,
 *   because nobody is there to approve it. `disallowedTools`, `model` and `effort` map onto
 *   `--disallowedTools`, `--model` and `--effort`.
 * - API keys, `ANTHROPIC_BASE_URL` and `CLAUDE_CONFIG_DIR` are the user's, passed through.
 */
export function claudeCodeAgent(options: CliAgentOptions): AgentRuntime {
  return cliAgentRuntime('claude-code', options, claudeCodeArgs);
}

/** The argv after `claude`. Options that take lists are written `--flag=a,b` so they end where they should. */
export function claudeCodeArgs(_task: Task, context: AgentContext, extraArgs: readonly string[]): string[] {
  const hints = context.hints;
  const queueTools = (hints?.queueTools ?? QUEUE_TOOLS).map((tool) => `mcp__drover__${tool}`);
  const allowed = [...queueTools, ...(hints?.allowedTools ?? [])];
  const args = ['-p', '--output-format', 'text', '--permission-mode', 'acceptEdits', `--allowedTools=${allowed.join(',')}`];
  if (context.mcp !== undefined) args.push(`--mcp-config=${mcpConfigPath(context)}`, '--strict-mcp-config');
  if (hints !== undefined && hints.disallowedTools.length > 0) args.push(`--disallowedTools=${hints.disallowedTools.join(',')}`);
  if (hints?.model !== undefined) args.push('--model', hints.model);
  if (hints?.effort !== undefined) args.push('--effort', hints.effort);
  return [...args, ...extraArgs];
}
