import { segment, type Segment } from './compose-line.js';
import { formatDuration } from './format-duration.js';
import type { Glyphs } from './glyphs.js';
import type { Style } from './paint.js';
import type { RunOutcome, RunSummary } from './summarize-run.js';
import { wrapToWidth } from './text-width.js';

const SHOWN_FAILURES = 3;

/**
 * The end-of-run block: the verdict with its exit code, what happened to the tasks, how the run
 * was paced, what failed, where the state and handoffs are, and how to resume. `width` only
 * decides where the resume command wraps (it is never cut: it must stay copyable); pass
 * `Infinity` for a log.
 */
export function layoutSummary(summary: RunSummary, glyphs: Glyphs, width: number): Segment[][] {
  const { tasks } = summary;
  const [mark, style, word] = headline(summary.verdict, glyphs);
  const lines: Segment[][] = [[segment(`${mark} Run ${word}`, style), segment(` ${glyphs.separator} exit ${summary.exitCode}`, style)]];
  if (tasks.total === 0) lines[0]!.push(segment(` ${glyphs.separator} no tasks were enqueued, so nothing ran`, 'yellow'));

  const counts: Segment[] = [segment(`  ${tasks.total} ${tasks.total === 1 ? 'task' : 'tasks'}: `), segment(`${tasks.done} done`, 'green')];
  const more: Array<[number, string, Style | undefined]> = [
    [tasks.skipped, 'skipped', 'dim'],
    [tasks.failed, 'failed', 'red'],
    [tasks.blocked, 'blocked', 'yellow'],
    [tasks.running + tasks.pending, 'unfinished', 'yellow'],
  ];
  for (const [count, label, countStyle] of more) if (count > 0) counts.push(segment(` ${glyphs.separator} `), segment(`${count} ${label}`, countStyle));
  lines.push(counts);

  const pacing = [`took ${formatDuration(summary.durationMs)}`];
  if (summary.timeToFirstTaskMs !== null) pacing.push(`first task after ${formatDuration(summary.timeToFirstTaskMs)}`);
  if (summary.maxGapMs !== null) pacing.push(`longest gap ${formatDuration(summary.maxGapMs)}`);
  lines.push([segment(`  ${pacing.join(` ${glyphs.separator} `)}`, 'dim')]);
  if (summary.cancelledBy !== undefined) lines.push([segment(`  cancelled by ${summary.cancelledBy}`, 'yellow')]);

  for (const failure of summary.failed.slice(0, SHOWN_FAILURES)) {
    lines.push([
      segment(`  ${glyphs.status.failed} ${failure.id}`, 'red'),
      segment(failure.optional ? ' (optional)' : '', 'dim'),
      segment(`: ${failure.message}`),
    ]);
  }
  if (summary.failed.length > SHOWN_FAILURES) lines.push([segment(`  ${glyphs.ellipsis} and ${summary.failed.length - SHOWN_FAILURES} more failed`, 'red')]);
  if (summary.blocked.length > 0) {
    // Every stranded task is named (the wizard's blockedTypes): by type, then its ids.
    const byType = new Map<string, string[]>();
    for (const task of summary.blocked) byType.set(task.type, [...(byType.get(task.type) ?? []), task.id]);
    const n = summary.blocked.length;
    lines.push([segment(`  ${glyphs.status.blocked} ${n} ${n === 1 ? 'task' : 'tasks'} stranded behind a failed dependency:`, 'yellow')]);
    for (const [type, ids] of byType) lines.push([segment(`    ${type}: `, 'dim'), segment(ids.join(', '))]);
  }

  lines.push([segment('  state     ', 'dim'), segment(summary.stateDir)]);
  if (summary.handoffsDir !== null) lines.push([segment('  handoffs  ', 'dim'), segment(summary.handoffsDir)]);
  if (summary.resumeCommand !== null) {
    const label = '  resume    ';
    const wrapped = wrapToWidth(summary.resumeCommand, Math.max(20, width - label.length), { maxLines: 6, breakWords: true });
    wrapped.forEach((part, i) => lines.push([segment(i === 0 ? label : ' '.repeat(label.length), 'dim'), segment(part, 'bold')]));
  }
  return lines;
}

function headline(verdict: RunOutcome, glyphs: Glyphs): [string, Style, string] {
  switch (verdict) {
    case 'done':
      return [glyphs.status.done, 'green', 'done'];
    case 'failed':
      return [glyphs.status.failed, 'red', 'failed'];
    case 'blocked':
      return [glyphs.status.blocked, 'red', 'blocked'];
    case 'interrupted':
      return [glyphs.stopped, 'yellow', 'interrupted'];
    case 'cancelled':
      return [glyphs.stopped, 'yellow', 'cancelled'];
    case 'incomplete':
      return [glyphs.stopped, 'yellow', 'stopped with tasks unfinished'];
  }
}
