import type { Task } from '../queue/task.js';
import { composeLine, segment, type Segment } from './compose-line.js';
import { formatDuration } from './format-duration.js';
import type { Glyphs } from './glyphs.js';
import type { Snapshot } from './layout-context.js';
import type { Paint } from './paint.js';
import { padToWidth } from './text-width.js';
import { toSingleLine } from './to-single-line.js';

export interface TaskRowContext {
  readonly width: number;
  readonly idWidth: number;
  readonly now: number;
  readonly glyphs: Glyphs;
  readonly paint: Paint;
  readonly snapshot?: Snapshot;
  /** A ready task held back by write scopes: the running task whose scope overlaps its own. */
  readonly waitsForWriter?: string;
}

/** `  ✔ install-2   Install the SDK ……… 0.3s`: mark, id, label, and on the right what the status needs said. */
export function layoutTaskRow(task: Task, context: TaskRowContext): string {
  const { glyphs } = context;
  const [mark, markStyle] = statusMark(task, context.now, glyphs, context.snapshot);
  const left: Segment[] = [
    segment('  '),
    segment(mark, markStyle),
    segment(' '),
    segment(padToWidth(task.id, context.idWidth, glyphs.ellipsis), task.status === 'running' ? 'bold' : 'dim'),
    segment('  '),
    segment(toSingleLine(task.label), task.status === 'pending' || task.status === 'skipped' ? 'dim' : task.status === 'running' ? 'bold' : undefined),
  ];
  return composeLine(left, rightSide(task, context), context.width, context.paint, glyphs.ellipsis);
}

export function statusMark(task: Task, now: number, glyphs: Glyphs, snapshot?: Snapshot): [string, Parameters<Paint>[0]] {
  switch (task.status) {
    case 'running':
      if (snapshot === 'dead') return [glyphs.stopped, 'yellow'];
      if (snapshot === 'live') return [glyphs.started, 'cyan'];
      return [glyphs.spinner[Math.floor(now / 100) % glyphs.spinner.length]!, 'cyan'];
    case 'done':
      return [glyphs.status.done, 'green'];
    case 'failed':
      return [glyphs.status.failed, 'red'];
    case 'skipped':
      return [glyphs.status.skipped, 'dim'];
    case 'blocked':
      return [glyphs.status.blocked, 'yellow'];
    case 'pending':
      return [glyphs.status.pending, 'dim'];
  }
}

function rightSide(task: Task, context: TaskRowContext): Segment[] {
  const { glyphs } = context;
  const sep = segment(` ${glyphs.separator} `, 'dim');
  const parts: Segment[][] = [];
  if (task.enqueuedBy !== 'orchestrator') parts.push([segment(`${glyphs.enqueuedBy} by ${task.enqueuedBy}`, 'dim')]);
  if (task.optional && (task.status === 'pending' || task.status === 'failed')) parts.push([segment('optional', 'dim')]);
  switch (task.status) {
    case 'running': {
      if (task.attempts > 1) parts.push([segment(`attempt ${task.attempts}/${task.maxAttempts}`, 'yellow')]);
      const ran = formatDuration(context.now - Date.parse(task.startedAt ?? ''));
      // A dead run's task is not running any more: say when it stopped, with a clock that stays put.
      parts.push(context.snapshot === 'dead' ? [segment(`stopped after ${ran}`, 'yellow')] : [segment(ran, 'cyan')]);
      break;
    }
    case 'pending':
      // A pending task with attempts used is waiting for its retry.
      if (task.attempts > 0) parts.push([segment(`${glyphs.retry} retry, attempt ${task.attempts + 1}/${task.maxAttempts} next`, 'yellow')]);
      if (context.waitsForWriter !== undefined) parts.push([segment(`waits for ${context.waitsForWriter}: overlapping writes`, 'yellow')]);
      break;
    case 'done':
    case 'skipped': {
      if (task.attempts > 1) parts.push([segment(`attempt ${task.attempts}/${task.maxAttempts}`, 'yellow')]);
      if (task.status === 'skipped') parts.push([segment('skipped', 'dim')]);
      const took = elapsed(task);
      if (took !== undefined) parts.push([segment(formatDuration(took), 'dim')]);
      break;
    }
    case 'failed':
      if (task.attempts > 1) parts.push([segment(`attempt ${task.attempts}/${task.maxAttempts}`, 'yellow')]);
      parts.push([segment(toSingleLine(task.error?.message ?? 'failed'), 'red')]);
      break;
    case 'blocked':
      parts.push([segment(`blocked by ${task.error?.dependency ?? 'a failed dependency'}`, 'yellow')]);
      break;
  }
  return parts.flatMap((part, i) => (i === 0 ? part : [sep, ...part]));
}

function elapsed(task: Task): number | undefined {
  if (task.startedAt === undefined || task.finishedAt === undefined) return undefined;
  const ms = Date.parse(task.finishedAt) - Date.parse(task.startedAt);
  return Number.isFinite(ms) ? ms : undefined;
}
