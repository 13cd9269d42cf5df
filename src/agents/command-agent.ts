import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { openAttemptLog } from '../util/attempt-log.js';
import { writeStateFile } from '../util/write-state-file.js';
import type { Task } from '../queue/task.js';
import { splitCommandLine } from '../util/split-command-line.js';
import { statePaths } from '../util/state-paths.js';
import type { AgentContext, AgentRuntime } from './agent-runtime.js';
import { trackProcessGroup } from './live-process-groups.js';

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
      const paths = statePaths(context.stateDir);
      const mcpConfig = join(paths.root, 'mcp', `${task.id}.json`);
      if (context.mcp !== undefined) {
        const config = { mcpServers: { drover: { type: 'http', url: context.mcp.url, headers: { Authorization: `Bearer ${context.mcp.token}` } } } };
        await writeStateFile(mcpConfig, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600, sync: false });
      }
      const values: Record<string, string> = { prompt_file: context.promptFile ?? '', mcp_config: mcpConfig, task_id: task.id, install_dir: context.installDir };
      const [command, ...args] = argvTemplate.map((arg) => arg.replace(/\{(prompt_file|mcp_config|task_id|install_dir)\}/g, (_, name: string) => values[name]!));
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        ...options.env,
        DROVER_TASK_ID: task.id,
        DROVER_TASK_TYPE: task.type,
        DROVER_PROMPT_FILE: context.promptFile ?? '',
        DROVER_MCP_URL: context.mcp?.url ?? '',
        DROVER_MCP_TOKEN: context.mcp?.token ?? '',
        DROVER_MCP_CONFIG: context.mcp === undefined ? '' : mcpConfig,
        DROVER_INSTALL_DIR: context.installDir,
        DROVER_STATE_DIR: context.stateDir,
      };
      // A log that cannot be written (a full disk) stops the agent; close() then throws, which stops the run.
      const logFailed = new AbortController();
      const log = await openAttemptLog(paths.log(task.id), {
        header: `--- attempt ${context.attempt} · ${new Date().toISOString()} · ${[command, ...args].join(' ')}\n`,
        ...(options.logCapBytes !== undefined ? { capBytes: options.logCapBytes } : {}),
        onFailure: () => logFailed.abort(),
      });
      try {
        const code = await runProcess(command!, args, { cwd: context.installDir, env, signal: AbortSignal.any([signal, logFailed.signal]), killGraceMs: options.killGraceMs ?? 3000, registryDir: paths.agentGroups }, (chunk) => {
          log.write(chunk);
          const line = lastLine(chunk);
          if (line !== undefined) context.report(line);
        });
        log.write(`--- exit ${code}\n`);
        if (code !== 0) throw new Error(`the agent command exited with ${code}`);
      } finally {
        await log.close();
        await rm(mcpConfig, { force: true });
      }
    },
  };
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
function runProcess(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; signal: AbortSignal; killGraceMs: number; registryDir: string }, onOutput: (chunk: string) => void): Promise<number | string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const untrack = child.pid === undefined ? () => false : trackProcessGroup(child.pid, options.registryDir);
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
