import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { assertInstallDir } from '../detect/assert-install-dir.js';
import { Command } from 'commander';
import { InputError } from '../errors/input-error.js';
import { UsageError } from '../errors/usage-error.js';
import { computeVerdict } from '../queue/verdict.js';
import type { QueueState } from '../queue/queue-state.js';
import { LOG_CUT_PREFIX } from '../util/attempt-log.js';
import { StateDirReader } from '../backend/local/state-dir-reader.js';
import { restoreQueueState } from '../queue/snapshot.js';
import { isStateDirLocked } from '../store/file/state-lock.js';
import { resolveStateDir } from '../util/state-dir.js';
import { stateDirWorkspace } from '../workspace/state-dir-workspace.js';
import type { CliContext } from './cli-context.js';
import { storeUrl, type StoreFlags } from './store-flags.js';
import { formatTaskDetail } from './format-task-detail.js';
import { renderStatusView } from './status-view.js';
import { resumeCommand } from '../ui/resume-command.js';
import { shouldUseColor } from '../ui/should-use-color.js';
import { stripTerminalControls, toTerminalJson } from '../ui/to-terminal-text.js';

interface StatusFlags extends StoreFlags {
  run?: string;
  installDir?: string;
  stateDir?: string;
  json?: boolean;
  task?: string;
}

/** `drover status`: the run as it is on disk — finished, crashed or still running. Reads only; takes no lock. */
export function statusCommand(context: CliContext): Command {
  return new Command('status')
    .description('Show a run from its state directory: tasks, statuses, attempts, durations, verdict.')
    .option('--install-dir <dir>', 'the project whose run to show (state in <dir>/.drover)')
    .option('--state-dir <dir>', 'the state directory to read')
    .option('--json', 'print JSON for scripts')
    .option('--task <id>', 'show one task: its prompt, handoff, attempts and log tail')
    .option('--store <url>', 'show runs kept in PostgreSQL instead (postgres://…, optionally ?schema=NAME; env DROVER_DATABASE_URL): every run, or --run ID')
    .option('--run <id>', 'with --store: the run to show')
    .action(async (flags: StatusFlags) => {
      const store = storeUrl(flags);
      if (flags.run !== undefined && store === undefined) throw new UsageError('--run goes with --store (or DROVER_DATABASE_URL)');
      if (store !== undefined && flags.stateDir === undefined && flags.installDir === undefined) {
        if (flags.task !== undefined && flags.run === undefined) throw new UsageError('--task needs --run ID with --store');
        await (await import('./status-on-store.js')).statusOnStore(store, flags, context);
        return;
      }
      if (flags.installDir !== undefined && flags.stateDir !== undefined) throw new UsageError('pass --install-dir or --state-dir, not both');
      // Name the directory the user got wrong, rather than report that it holds no run.
      if (flags.installDir !== undefined) assertInstallDir(flags.installDir);
      if (flags.stateDir !== undefined && !existsSync(flags.stateDir)) throw new InputError('state directory not found', { file: flags.stateDir });
      const stateDir = resolveStateDir(flags.installDir ?? '.', flags.stateDir);
      const state = await readCurrentRun(stateDir);
      if (state === undefined) throw new InputError('no run found (no audit.jsonl); start one with drover run', { file: stateDir });
      const { meta } = state;
      if (flags.task !== undefined) {
        const detail = await taskDetail(state, stateDir, flags.task);
        context.stdout.write(flags.json === true ? `${toTerminalJson(detail, 2)}\n` : formatTaskDetail(detail));
        return;
      }
      const verdict = computeVerdict(state);
      if (flags.json === true) {
        context.stdout.write(`${toTerminalJson({ stateDir, ...state.meta, verdict, tasks: state.byPosition }, 2)}\n`);
        return;
      }
      const stream = context.stdout as NodeJS.WriteStream;
      // A run marked running whose lock no live process holds has died (kill -9, a crash, a reboot).
      const alive = meta.status === 'running' && (await isStateDirLocked(stateDir));
      context.stdout.write(renderStatusView(state, stateDir, { width: stream.columns ?? 100, color: shouldUseColor(stream), now: Date.now(), alive }));
      if (verdict.status === 'incomplete') {
        const live = meta.status !== 'running' ? meta.status : alive ? 'still running' : 'its process died';
        context.stdout.write(`\n${stripTerminalControls(`unfinished (${live}): ${verdict.unfinished.length} task(s) left; ${resumeCommand(meta.installDir, stateDir)} continues it`)}\n`);
      }
    });
}

/** The state dir's current run, through the port's reader over a state dir (it follows the log; it takes no lock and writes nothing). */
async function readCurrentRun(stateDir: string): Promise<QueueState | undefined> {
  const reader = new StateDirReader(stateDir);
  try {
    const runId = await reader.currentRunId();
    const snapshot = runId === undefined ? undefined : await reader.readRun(runId);
    return snapshot === undefined ? undefined : restoreQueueState(snapshot, await reader.readAllHandoffs(snapshot.runId));
  } finally {
    await reader.close();
  }
}

export interface TaskDetail {
  readonly task: QueueState['byPosition'][number];
  readonly handoff: unknown;
  readonly prompt: string | undefined;
  readonly promptFile: string;
  readonly logTail: string | undefined;
  readonly logFile: string;
  /** Set when the log was cut to its size cap: the `--- log cut: …` line that says how much was dropped. */
  readonly logCut: string | undefined;
}

async function taskDetail(state: QueueState, stateDir: string, taskId: string): Promise<TaskDetail> {
  const task = state.tasks.get(taskId);
  if (task === undefined) throw new InputError(`no task "${taskId}" in this run (tasks: ${[...state.tasks.keys()].slice(0, 20).join(', ')})`, { file: stateDir });
  // The attempt's files, where the run's workspace put them.
  const files = stateDirWorkspace(stateDir).attempt(taskId);
  const log = await readOptional(files.logFile);
  return {
    task,
    handoff: state.handoffs.get(taskId) ?? null,
    prompt: await readOptional(files.promptFile),
    promptFile: files.promptFile,
    logTail: log === undefined ? undefined : log.split('\n').slice(-40).join('\n'),
    logFile: files.logFile,
    logCut: log?.split('\n').findLast((line) => line.startsWith(LOG_CUT_PREFIX)),
  };
}

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}
