import type { QueueState } from '../queue/queue-state.js';
import type { Task } from '../queue/task.js';
import type { Verdict } from '../queue/verdict.js';
import type { TaskDetail } from './status-command.js';

const MARKS: Record<Task['status'], string> = { pending: '○', running: '▶', done: '✔', failed: '✖', skipped: '↷', blocked: '⊘' };

/** The `drover status` table: one row per task in enqueue order, then the verdict. */
export function formatStatusTable(state: QueueState, stateDir: string, verdict: Verdict, now: number): string {
  const { meta } = state;
  const lines = [
    `run ${meta.runId}  ${meta.status}`,
    `install dir  ${meta.installDir}`,
    `framework    ${meta.detected.framework ?? 'unknown'} (${meta.detected.packageManager ?? 'no package manager'})`,
    `state dir    ${stateDir}`,
    '',
  ];
  const rows = state.byPosition.map((task) => [
    `${MARKS[task.status]} ${task.id}`,
    task.status,
    `${task.attempts}/${task.maxAttempts}`,
    duration(task, now),
    task.enqueuedBy === 'orchestrator' ? '' : `by ${task.enqueuedBy}`,
    task.label,
  ]);
  const header = ['TASK', 'STATUS', 'TRIES', 'TIME', 'ENQUEUED', 'LABEL'];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  for (const row of [header, ...rows]) lines.push(row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd());
  const done = state.byPosition.filter((task) => task.status === 'done').length;
  lines.push('', `${done}/${state.tasks.size} done · verdict: ${verdictText(verdict)}`);
  for (const task of state.byPosition) if (task.error !== undefined && task.status !== 'done') lines.push(`  ${task.id}: ${task.error.kind}: ${task.error.message}`);
  return `${lines.join('\n')}\n`;
}

function verdictText(verdict: Verdict): string {
  switch (verdict.status) {
    case 'done':
      return 'done';
    case 'incomplete':
      return `unfinished (${verdict.unfinished.length} task(s) left; drover run --resume continues it)`;
    default:
      return `${verdict.status} (failed: ${verdict.failed.join(', ') || 'none'}; blocked: ${verdict.blocked.join(', ') || 'none'})`;
  }
}

function duration(task: Task, now: number): string {
  if (task.startedAt === undefined) return '';
  const end = task.finishedAt === undefined ? now : Date.parse(task.finishedAt);
  const ms = end - Date.parse(task.startedAt);
  return ms < 1000 ? `${ms}ms` : `${(ms / 1000).toFixed(1)}s`;
}

/** `drover status --task ID`. */
export function formatTaskDetail(detail: TaskDetail): string {
  const { task } = detail;
  const lines = [
    `${MARKS[task.status]} ${task.id} (${task.type}) — ${task.label}`,
    `status ${task.status} · attempts ${task.attempts}/${task.maxAttempts} · enqueued by ${task.enqueuedBy} · depth ${task.depth}`,
    `depends on ${task.dependsOn.join(', ') || 'nothing'}`,
  ];
  if (task.error !== undefined) lines.push(`error: ${task.error.kind}: ${task.error.message}`);
  lines.push('', '## Handoff', detail.handoff === null ? '(none yet)' : JSON.stringify(detail.handoff, null, 2));
  lines.push('', `## Prompt (${detail.promptFile})`, detail.prompt ?? '(not written yet)');
  if (detail.logTail !== undefined) lines.push('', `## Log tail (${detail.logFile})`, detail.logTail);
  return `${lines.join('\n')}\n`;
}
