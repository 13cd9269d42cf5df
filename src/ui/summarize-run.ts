import { join } from 'node:path';
import type { RunEndInfo, RunKeeping } from '../queue/run-observer.js';
import { DEFAULT_STATE_DIR_NAME } from '../util/state-dir.js';
import { countTasks, type TaskCounts } from './count-tasks.js';
import { continueCommand } from './resume-command.js';
import type { RunViewModel } from './run-view-model.js';
import { toSingleLine } from './to-single-line.js';

export type RunOutcome = RunEndInfo['verdict']['status'];

/** How a run ended, for the final frame, the plain log's last block and the JSON `summary` line. */
export interface RunSummary {
  readonly program: string;
  readonly runId: string;
  readonly installDir: string;
  readonly stateDir: string;
  /** Where the handoffs are kept as files (a state dir run); `null` for a run in a store, whose handoffs are in the database. */
  readonly handoffsDir: string | null;
  readonly verdict: RunOutcome;
  readonly exitCode: number;
  readonly tasks: TaskCounts;
  readonly durationMs: number;
  /** From this process's start to its first task start; `null` when no task started. */
  readonly timeToFirstTaskMs: number | null;
  /** The longest stretch in which the task list did not change (telemetry's `max_gap_ms`); `null` without metrics. */
  readonly maxGapMs: number | null;
  readonly failed: ReadonlyArray<{ readonly id: string; readonly label: string; readonly optional: boolean; readonly message: string }>;
  /** Every task stranded behind a failed dependency, with its type. */
  readonly blocked: ReadonlyArray<{ readonly id: string; readonly type: string; readonly label: string; readonly blockedBy: string | null }>;
  readonly unfinished: readonly string[];
  /** How to carry on, when the run stopped before finishing. */
  readonly resumeCommand: string | null;
  /** Who asked to cancel the run (`the dashboard (127.0.0.1) at …`), for a cancelled run. */
  readonly cancelledBy?: string;
}

/** `model` should have seen `onRunEnd(end)`: the timings come from its final metrics. */
export function summarizeRun(model: RunViewModel, end: RunEndInfo): RunSummary {
  const meta = end.state.meta;
  const installDir = model.run?.installDir ?? meta.installDir;
  const stateDir = model.run?.stateDir ?? join(installDir, DEFAULT_STATE_DIR_NAME);
  const tasks = end.state.byPosition;
  const startedAt = model.run?.startedAt ?? end.endedAt;
  const verdict = end.verdict.status;
  return {
    program: model.run?.program ?? 'run',
    runId: model.run?.runId ?? meta.runId,
    installDir,
    stateDir,
    handoffsDir: handoffsDirOf(model.run?.kept),
    verdict,
    exitCode: end.exitCode,
    tasks: countTasks(tasks),
    durationMs: model.metrics?.total_duration_ms ?? Math.max(0, end.endedAt - startedAt),
    timeToFirstTaskMs: model.metrics?.time_to_first_task_ms ?? null,
    maxGapMs: model.metrics?.max_gap_ms ?? null,
    failed: tasks
      .filter((task) => task.status === 'failed')
      .map((task) => ({ id: task.id, label: toSingleLine(task.label), optional: task.optional, message: toSingleLine(task.error?.message ?? 'failed') })),
    blocked: tasks
      .filter((task) => task.status === 'blocked')
      .map((task) => ({ id: task.id, type: toSingleLine(task.type), label: toSingleLine(task.label), blockedBy: task.error?.dependency ?? null })),
    unfinished: tasks.filter((task) => task.status === 'pending' || task.status === 'running').map((task) => task.id),
    resumeCommand: verdict === 'interrupted' || verdict === 'cancelled' || verdict === 'incomplete' ? continueCommand(model.run ?? { installDir, stateDir, runId: meta.runId }) : null,
    ...(verdict === 'cancelled' && meta.cancel !== undefined ? { cancelledBy: `the ${meta.cancel.by}${meta.cancel.address !== undefined ? ` (${toSingleLine(meta.cancel.address)})` : ''} at ${meta.cancel.at}` } : {}),
  };
}

/** The handoff files' folder, as the session told (the file store's); none for a run kept in a store, or when untold. */
function handoffsDirOf(kept: RunKeeping | undefined): string | null {
  return kept?.kind === 'state-dir' ? kept.handoffsDir : null;
}
