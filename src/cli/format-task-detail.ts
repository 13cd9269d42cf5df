import type { Task } from '../queue/task.js';
import { stripTerminalControls, toTerminalJson, toTerminalText } from '../ui/to-terminal-text.js';
import { LOG_CUT_PREFIX } from '../util/attempt-log.js';
import type { TaskDetail } from './status-command.js';

const MARKS: Record<Task['status'], string> = { pending: '○', running: '▶', done: '✔', failed: '✖', skipped: '↷', blocked: '⊘' };

/**
 * `drover status --task ID`. Everything shown here was written by an agent or read from a state
 * dir a repository may have shipped, so every piece goes through the terminal sanitiser: a log
 * tail keeps its lines but loses its escape sequences (no clipboard writes, no screen clears).
 */
export function formatTaskDetail(detail: TaskDetail): string {
  const { task } = detail;
  const line = stripTerminalControls;
  const lines = [
    line(`${MARKS[task.status]} ${task.id} (${task.type}) — ${task.label}`),
    line(`status ${task.status} · attempts ${task.attempts}/${task.maxAttempts} · enqueued by ${task.enqueuedBy} · depth ${task.depth}`),
    line(`depends on ${task.dependsOn.join(', ') || 'nothing'}`),
  ];
  if (task.error !== undefined) lines.push(line(`error: ${task.error.kind}: ${task.error.message}`));
  lines.push('', '## Handoff', detail.handoff === null ? '(none yet)' : toTerminalJson(detail.handoff, 2));
  lines.push('', line(`## Prompt (${detail.promptFile})`), detail.prompt === undefined ? '(not written yet)' : toTerminalText(detail.prompt));
  if (detail.logTail !== undefined) lines.push('', line(`## Log tail (${detail.logFile})`), ...(detail.logCut !== undefined ? [line(`(the log was cut to its size cap: ${detail.logCut.slice(LOG_CUT_PREFIX.length).trim()})`)] : []), toTerminalText(detail.logTail));
  return `${lines.join('\n')}\n`;
}
