import type { AgentContext, AgentRuntime } from './agent-runtime.js';
import { cliAgentRuntime, type CliAgentOptions } from './run-agent-process.js';

/**
 * Tools whose denial in the frontmatter means "this task must not change the project". Not
 * `Bash`: every bundled prompt that edits code (init, instrument, llm-analytics) denies Bash, and
 * Codex has no shell-less way to edit for every model (without its apply_patch tool, it edits
 * through its shell), so denying Bash cannot be mapped to a read-only sandbox.
 */
const EDITING_TOOLS = new Set(['Write', 'Edit', 'MultiEdit', 'NotebookEdit', 'apply_patch']);

/**
 * Codex (`codex exec`) as the agent: one fresh, non-interactive session per attempt.
 *
 * - The prompt goes on stdin (`-` as the prompt argument).
 * - drover's endpoint is configured with `-c mcp_servers.drover.*` overrides: the URL, the bearer
 *   token read from `DROVER_MCP_TOKEN` (`bearer_token_env_var`, so it never appears in argv), and
 *   `default_tools_approval_mode = "approve"` — `exec` has nobody to ask, and would refuse the call.
 * - `--skip-git-repo-check`: drover runs tasks in any directory, git or not.
 * - Codex has no per-tool allow list for its own tools; its sandbox is the lever: a prompt that
 *   disallows Write or Edit runs `--sandbox read-only`, any other `workspace-write` (edit files
 *   in the install dir, commands without network). A denied Bash alone is not enforced: Codex's
 *   commands then still run, inside that sandbox. `model` and `effort` map onto `-m` and
 *   `-c model_reasoning_effort`.
 * - API keys, `CODEX_HOME` and model providers are the user's, passed through.
 */
export function codexAgent(options: CliAgentOptions): AgentRuntime {
  return cliAgentRuntime('codex', options, (_task, context, extraArgs) => codexArgs(context, extraArgs));
}

/** The argv after `codex`. `-c` values are TOML; a JSON string is a valid TOML basic string. */
export function codexArgs(context: AgentContext, extraArgs: readonly string[]): string[] {
  const hints = context.hints;
  const readOnly = hints?.disallowedTools.some((tool) => EDITING_TOOLS.has(tool)) === true;
  const args = ['exec', '--skip-git-repo-check', '--color', 'never', '--sandbox', readOnly ? 'read-only' : 'workspace-write'];
  if (context.mcp !== undefined) {
    args.push(
      '-c', `mcp_servers.drover.url=${JSON.stringify(context.mcp.url)}`,
      '-c', 'mcp_servers.drover.bearer_token_env_var="DROVER_MCP_TOKEN"',
      '-c', 'mcp_servers.drover.default_tools_approval_mode="approve"',
      // Required: Codex connects before the first turn, and exits (a crashed attempt, retried)
      // if it cannot, instead of starting a turn without drover's tools, which under load it did.
      '-c', 'mcp_servers.drover.required=true',
    );
  }
  if (hints?.model !== undefined) args.push('-m', hints.model);
  if (hints?.effort !== undefined) args.push('-c', `model_reasoning_effort=${JSON.stringify(hints.effort)}`);
  return [...args, ...extraArgs, '-'];
}
