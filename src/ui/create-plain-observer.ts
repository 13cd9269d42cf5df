import type { QueueEvent } from '../queue/events.js';
import type { QueueState } from '../queue/queue-state.js';
import type { RunObserver } from '../queue/run-observer.js';
import type { Task } from '../queue/task.js';
import { plainText } from './compose-line.js';
import { TaskCounter } from './count-tasks.js';
import { createLineWriter } from './create-line-writer.js';
import { createRunViewRecorder } from './create-run-view-recorder.js';
import { formatDuration } from './format-duration.js';
import { glyphsFor } from './glyphs.js';
import { layoutSummary } from './layout-summary.js';
import { summarizeRun } from './summarize-run.js';
import { toSingleLine } from './to-single-line.js';
import { stripTerminalControls } from './to-terminal-text.js';

export interface PlainObserverOptions {
  /** Where the lines go (default stdout). */
  readonly stream?: NodeJS.WritableStream;
  /** ASCII marks instead of Unicode symbols. */
  readonly ascii?: boolean;
  /** Also print agent activity lines (default off: they are chatty, and command agents have their own logs). */
  readonly activity?: boolean;
}

/**
 * The run as a log, for pipes, files and CI: one line per change that a person would want to
 * see (`[3/9] ✔ install-2 · Install the SDK · 0.3s`), guard trips and notices, and the summary
 * block at the end. `[finished/total]` prefixes each task line. No colour, no cursor movement.
 */
export function createPlainObserver(options: PlainObserverOptions = {}): RunObserver {
  const stream = options.stream ?? process.stdout;
  const glyphs = glyphsFor(options.ascii === true);
  const sep = ` ${glyphs.separator} `;
  const recorder = createRunViewRecorder();
  const writer = createLineWriter(stream);
  const flush = writer.flush;
  // Ids, paths and detected names come from the state dir too: no line may carry a control character.
  const write = (line: string): void => writer.write(stripTerminalControls(line));
  const counter = new TaskCounter();
  const progress = (): string => {
    const counts = counter.counts();
    return `[${counts.finished}/${counts.total}]`;
  };
  const name = (task: Task): string => `${task.id}${sep}${toSingleLine(task.label)}`;

  const describe = (event: QueueEvent, state: QueueState): string | undefined => {
    const task = 'taskId' in event && event.taskId !== undefined ? state.tasks.get(event.taskId) : undefined;
    switch (event.event) {
      case 'run-seeded':
        return `seeded ${event.taskCount} ${event.taskCount === 1 ? 'task' : 'tasks'}`;
      case 'task-enqueued':
        // Seeded tasks are summed up by `run-seeded`; a task enqueued by a running task is news.
        return task === undefined || task.enqueuedBy === 'orchestrator' ? undefined : `${progress()} ${glyphs.enqueued} ${name(task)}${sep}${glyphs.enqueuedBy} by ${task.enqueuedBy}`;
      case 'task-started':
        return task === undefined ? undefined : `${progress()} ${glyphs.started} ${name(task)}${event.attempt > 1 ? `${sep}attempt ${event.attempt}/${task.maxAttempts}` : ''}`;
      case 'task-completed':
      case 'task-skipped': {
        if (task === undefined) return undefined;
        const mark = event.event === 'task-completed' ? glyphs.status.done : glyphs.status.skipped;
        const took = tookMs(task);
        return `${progress()} ${mark} ${name(task)}${event.event === 'task-skipped' ? `${sep}skipped` : ''}${took === undefined ? '' : `${sep}${formatDuration(took)}`}`;
      }
      case 'task-failed':
        return task === undefined ? undefined : `${progress()} ${glyphs.status.failed} ${name(task)}${sep}failed: ${toSingleLine(event.error.message)}`;
      case 'task-requeued':
        return task === undefined
          ? undefined
          : `${progress()} ${glyphs.retry} ${name(task)}${sep}attempt failed (${event.error.kind}: ${toSingleLine(event.error.message)}); will retry, ${task.attempts}/${task.maxAttempts} attempts used`;
      case 'task-blocked':
        return task === undefined ? undefined : `${progress()} ${glyphs.status.blocked} ${name(task)}${sep}blocked by ${event.blockedBy}`;
      case 'guard-tripped':
        return `${progress()} ${glyphs.warning} guard ${event.guard}${sep}${event.caller} called ${event.tool}: ${toSingleLine(event.message)}`;
      case 'run-resumed':
        return `resumed run ${event.runId}${event.interrupted.length > 0 ? `; ${event.interrupted.length} interrupted ${event.interrupted.length === 1 ? 'task goes' : 'tasks go'} back to the queue` : ''}`;
      case 'task-retried':
        return task === undefined ? undefined : `${progress()} ${glyphs.retry} ${name(task)}${sep}retried from the ${event.by}${event.address !== undefined ? ` (${event.address})` : ''}${event.unblocked.length > 0 ? `; ${event.unblocked.length} blocked ${event.unblocked.length === 1 ? 'task waits' : 'tasks wait'} for it again` : ''}`;
      case 'run-cancel-requested':
        return `${glyphs.warning} cancel requested from the ${event.by}${event.address !== undefined ? ` (${event.address})` : ''}: running tasks are being stopped`;
      case 'run-started':
      case 'run-finished':
        return undefined;
    }
  };

  return {
    onRunStart(info, state) {
      recorder.onRunStart(info, state);
      counter.reset(state.byPosition);
      const { framework, packageManager, appDir } = info.detected;
      const where = appDir === undefined || appDir === '.' ? [] : [`app in ${toSingleLine(appDir)}/`];
      const detected = [framework ?? 'no framework detected', ...(packageManager === null ? [] : [packageManager]), ...where].join(', ');
      write(`drover ${toSingleLine(info.program)}${sep}run ${info.runId}${sep}${info.installDir} (${detected})`);
      if (info.resumed) write(`resuming: ${progress()} tasks already finished`);
    },
    onEvent(event, state) {
      recorder.onEvent(event, state);
      counter.apply(event);
      const line = describe(event, state);
      if (line !== undefined) write(line);
    },
    onActivity(taskId, line) {
      recorder.onActivity(taskId, line);
      const text = toSingleLine(line);
      if (options.activity === true && text !== '') write(`    ${taskId} ${glyphs.activity} ${text}`);
    },
    onNotice(message) {
      recorder.onNotice(message);
      const text = toSingleLine(message);
      if (text !== '') write(`! ${text}`);
    },
    onRunEnd(info) {
      recorder.onRunEnd(info);
      write('');
      for (const line of layoutSummary(summarizeRun(recorder.model(), info), glyphs, Number.POSITIVE_INFINITY)) write(plainText(line));
    },
    close: flush,
  };
}

function tookMs(task: Task): number | undefined {
  if (task.startedAt === undefined || task.finishedAt === undefined) return undefined;
  const ms = Date.parse(task.finishedAt) - Date.parse(task.startedAt);
  return Number.isFinite(ms) ? ms : undefined;
}
