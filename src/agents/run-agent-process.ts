import { spawn } from 'node:child_process';
import type { Task } from '../queue/task.js';
import type { AgentContext, AgentRuntime } from './agent-runtime.js';
import type { AttemptWorkspace } from '../workspace/workspace.js';

/** One agent process for one attempt: what to run, with what extra environment, and what to write to its stdin. */
export interface AgentProcessSpec {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  /** Written to the process's stdin, which is then closed; without it stdin is closed at once. */
  readonly stdin?: string;
  /** After SIGTERM on timeout or interruption, how long before SIGKILL. */
  readonly killGraceMs: number;
  /** Output kept per attempt in `logs/<id>.log` (the tail is kept; default 4 MiB). */
  readonly logCapBytes?: number;
}

/**
 * Where an attempt's MCP client config goes (the workspace's agent config file: `mcp/<id>.json`
 * in the state dir), mode 0600, with the literal bearer token (Claude Code does not expand
 * `${VAR}` in headers). Deleted after the attempt by `runAgentProcess`.
 */
export function mcpConfigPath(context: Pick<AgentContext, 'workspace'>): string {
  return context.workspace.agentConfigFile;
}

/** The environment every process agent gets: the task, its prompt, the endpoint and its token, the directories. */
export function agentEnv(task: Task, context: AgentContext, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...extra,
    DROVER_TASK_ID: task.id,
    DROVER_TASK_TYPE: task.type,
    DROVER_PROMPT_FILE: context.promptFile ?? '',
    DROVER_MCP_URL: context.mcp?.url ?? '',
    DROVER_MCP_TOKEN: context.mcp?.token ?? '',
    DROVER_MCP_CONFIG: context.mcp === undefined ? '' : mcpConfigPath(context),
    DROVER_INSTALL_DIR: context.installDir,
    DROVER_STATE_DIR: context.stateDir,
  };
}

/** Options of the built-in CLI runtimes (`--agent claude-code`, `--agent codex`). */
export interface CliAgentOptions {
  /** The CLI's executable (a path, or a name found on PATH). */
  readonly bin: string;
  /** Arguments appended to every command line (`--agent-arg`), after drover's own. */
  readonly extraArgs?: readonly string[];
  /** Extra environment for every agent process. */
  readonly env?: NodeJS.ProcessEnv;
  /** After SIGTERM on timeout or interruption, how long before SIGKILL. */
  readonly killGraceMs?: number;
}

/** A built-in CLI runtime: one process per attempt, its argv built by `args`, the prompt on stdin. */
export function cliAgentRuntime(name: string, options: CliAgentOptions, args: (task: Task, context: AgentContext, extraArgs: readonly string[]) => string[]): AgentRuntime {
  return {
    name,
    async run(task: Task, context: AgentContext, signal: AbortSignal): Promise<void> {
      await runAgentProcess(task, context, signal, {
        command: options.bin,
        args: args(task, context, options.extraArgs ?? []),
        env: agentEnv(task, context, options.env),
        stdin: context.prompt,
        killGraceMs: options.killGraceMs ?? 3000,
      });
    },
  };
}

/**
 * Runs one attempt's agent process: writes the MCP config file, starts the process in its own
 * group in the install directory, logs stdout/stderr to `logs/<id>.log` (the last line feeds the
 * live view), and throws on a non-zero exit. A zero exit without `complete_task` is judged by
 * the executor.
 */
export async function runAgentProcess(_task: Task, context: AgentContext, signal: AbortSignal, spec: AgentProcessSpec): Promise<void> {
  const workspace = context.workspace;
  // A log that cannot be written (a full disk) stops the agent; close() then throws, which stops the run.
  const logFailed = new AbortController();
  const log = await workspace.openLog({
    header: `--- attempt ${context.attempt} · ${new Date().toISOString()} · ${[spec.command, ...spec.args].join(' ')}\n`,
    ...(spec.logCapBytes !== undefined ? { capBytes: spec.logCapBytes } : {}),
    onFailure: () => logFailed.abort(),
  });
  try {
    if (context.mcp !== undefined) {
      const config = { mcpServers: { drover: { type: 'http', url: context.mcp.url, headers: { Authorization: `Bearer ${context.mcp.token}` } } } };
      await workspace.writeAgentConfig(`${JSON.stringify(config, null, 2)}\n`);
    }
    const code = await runProcess(spec, context.installDir, AbortSignal.any([signal, logFailed.signal]), workspace, (chunk) => {
      log.write(chunk);
      const line = lastLine(chunk);
      if (line !== undefined) context.report(line);
    });
    log.write(`--- exit ${code}\n`);
    if (code !== 0) throw new Error(`the agent command exited with ${code}`);
  } finally {
    // The token file goes whatever happened, even when closing the log fails (a full disk).
    try {
      await log.close();
    } finally {
      await workspace.removeAgentConfig();
    }
  }
}

function lastLine(chunk: string): string | undefined {
  const lines = chunk.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  return lines.at(-1)?.slice(0, 200);
}

/** After the agent exits, how long its output may keep draining before the pipes are closed. */
const DRAIN_MS = 500;

/**
 * Spawns in a new process group and resolves with the exit code (or `signal:NAME`) once the
 * agent has exited — not when its pipes close, which a daemon it started could hold open for
 * ever. On abort: SIGTERM the group, then SIGKILL.
 */
function runProcess(spec: AgentProcessSpec, cwd: string, signal: AbortSignal, workspace: AttemptWorkspace, onOutput: (chunk: string) => void): Promise<number | string> {
  const { command } = spec;
  const options = { signal, killGraceMs: spec.killGraceMs };
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...spec.args], { cwd, env: spec.env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    // An agent that exits before reading its prompt closes the pipe: that is its exit to report, not an EPIPE crash.
    child.stdin.on('error', () => undefined);
    child.stdin.end(spec.stdin);
    const untrack = child.pid === undefined ? () => false : workspace.trackProcessGroup(child.pid);
    child.stdout.setEncoding('utf8').on('data', onOutput);
    child.stderr.setEncoding('utf8').on('data', onOutput);
    let killTimer: NodeJS.Timeout | undefined;
    const killGroup = (signal: NodeJS.Signals): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch {
        // The group is already gone.
      }
    };
    const onAbort = (): void => {
      killGroup('SIGTERM');
      killTimer = setTimeout(() => killGroup('SIGKILL'), options.killGraceMs);
      killTimer.unref();
    };
    if (options.signal.aborted) onAbort();
    else options.signal.addEventListener('abort', onAbort, { once: true });
    child.once('error', (error) => {
      options.signal.removeEventListener('abort', onAbort);
      untrack();
      reject(new Error(`could not start the agent command "${command}": ${error.message}`));
    });
    child.once('exit', (code, signal) => {
      options.signal.removeEventListener('abort', onAbort);
      if (killTimer !== undefined) clearTimeout(killTimer);
      // Leave no stragglers: whatever the agent left running in its group goes too.
      killGroup('SIGKILL');
      untrack();
      const settle = (): void => resolve(code ?? `signal:${signal ?? 'unknown'}`);
      const drained = setTimeout(() => {
        // A process outside the group (setsid) still holds the pipes: stop reading them.
        child.stdout.destroy();
        child.stderr.destroy();
        settle();
      }, DRAIN_MS);
      child.once('close', () => {
        clearTimeout(drained);
        settle();
      });
    });
  });
}
