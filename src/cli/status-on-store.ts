import type { Backend } from '../backend/backend.js';
import { InputError } from '../errors/input-error.js';
import { openPostgresStore, READ_ONLY_POLICY } from '../programs/open-postgres-store.js';
import { restoreQueueState } from '../queue/snapshot.js';
import { computeVerdict } from '../queue/verdict.js';
import { shouldUseColor } from '../ui/should-use-color.js';
import { stripTerminalControls, toTerminalJson } from '../ui/to-terminal-text.js';
import type { CliContext } from './cli-context.js';
import { formatTaskDetail } from './format-task-detail.js';
import { renderStatusView } from './status-view.js';
import type { TaskDetail } from './status-command.js';
import { describeStore } from './worker-command.js';

/**
 * `drover status --store URL`: from any machine, the runs kept in PostgreSQL (no `--run`), or one
 * run as `drover status` shows a state dir, or one task with its prompt and log tail (`--task`).
 * Reads only: the schema is not created or migrated, and no lease is reaped.
 */
export async function statusOnStore(url: string, flags: { run?: string | undefined; task?: string | undefined; json?: boolean | undefined }, context: CliContext): Promise<void> {
  const where = describeStore(url);
  const backend: Backend = await openPostgresStore(url, READ_ONLY_POLICY, { readOnly: true });
  try {
    if (flags.run === undefined) {
      const runs = await backend.listRuns();
      if (flags.json === true) {
        context.stdout.write(`${toTerminalJson({ store: where, runs }, 2)}\n`);
        return;
      }
      if (runs.length === 0) context.stdout.write(`no runs in ${where}; start one with drover run --store\n`);
      for (const run of runs) {
        const counts = Object.entries(run.counts).map(([status, n]) => `${n} ${status}`).join(', ');
        // The program is what a worker must serve to take the run's tasks (drover worker: integrate).
        context.stdout.write(`${stripTerminalControls(`${run.runId}  ${run.status.padEnd(11)} ${run.startedAt}  ${run.program ?? '(no program)'}  ${run.installDir}  ${counts || 'no tasks'}`)}\n`);
      }
      return;
    }
    const snapshot = await backend.readRun(flags.run);
    if (snapshot === undefined) throw new InputError(`--run ${flags.run}: no such run in ${where}`);
    const state = restoreQueueState(snapshot, await backend.readAllHandoffs(flags.run));
    if (flags.task !== undefined) {
      const task = state.tasks.get(flags.task);
      if (task === undefined) throw new InputError(`no task "${flags.task}" in run ${flags.run} (tasks: ${[...state.tasks.keys()].slice(0, 20).join(', ')})`);
      const log = await backend.readArtifact(flags.run, flags.task, 'log');
      const detail: TaskDetail = {
        task,
        handoff: state.handoffs.get(task.id) ?? null,
        prompt: await backend.readArtifact(flags.run, flags.task, 'prompt'),
        promptFile: `${where} run ${flags.run} (prompt of ${task.id})`,
        logTail: log?.split('\n').slice(-40).join('\n'),
        logFile: `${where} run ${flags.run} (log of ${task.id})`,
        logCut: undefined,
      };
      context.stdout.write(flags.json === true ? `${toTerminalJson(detail, 2)}\n` : formatTaskDetail(detail));
      return;
    }
    const verdict = computeVerdict(state);
    if (flags.json === true) {
      context.stdout.write(`${toTerminalJson({ store: where, ...state.meta, verdict, tasks: state.byPosition }, 2)}\n`);
      return;
    }
    const stream = context.stdout as NodeJS.WriteStream;
    // Whether workers are alive is the database's business (leases): a running run is shown running.
    context.stdout.write(renderStatusView(state, where, { width: stream.columns ?? 100, color: shouldUseColor(stream), now: Date.now(), alive: state.meta.status === 'running' }));
    if (verdict.status === 'incomplete') context.stdout.write(`\n${stripTerminalControls(`unfinished (${state.meta.status}): ${verdict.unfinished.length} task(s) left; drover worker --store URL --run ${flags.run} works it`)}\n`);
  } finally {
    await backend.close();
  }
}
