import type { Task } from '../queue/task.js';
import type { TaskDetail } from './status-command.js';

const MARKS: Record<Task['status'], string> = { pending: '○', running: '▶', done: '✔', failed: '✖', skipped: '↷', blocked: '⊘' };

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
