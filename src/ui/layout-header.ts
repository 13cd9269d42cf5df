import { countTasks } from './count-tasks.js';
import { composeLine, segment, segmentsWidth, type Segment } from './compose-line.js';
import { formatDuration } from './format-duration.js';
import type { LayoutContext } from './layout-context.js';
import type { Style } from './paint.js';
import type { RunViewModel } from './run-view-model.js';
import { toSingleLine } from './to-single-line.js';

const BAR_WIDTH = 24;
const MIN_BAR_WIDTH = 6;

/**
 * Three lines: what is running where (program, run id, elapsed), the install dir with what the
 * seed step detected, and progress as `[finished/total]`, a bar and the counts by status.
 */
export function layoutHeader(model: RunViewModel, context: LayoutContext): string[] {
  const { glyphs, paint, width } = context;
  const sep = ` ${glyphs.separator} `;
  const run = model.run;
  if (run === undefined) return [composeLine([segment('drover', 'bold'), segment(`${sep}starting${glyphs.ellipsis}`, 'dim')], [], width, paint, glyphs.ellipsis)];

  const endedAt = model.end?.endedAt ?? context.now;
  const title: Segment[] = [segment('drover ', 'bold'), segment(toSingleLine(run.program), 'bold'), segment(`${sep}run ${run.runId}`, 'dim')];
  if (run.resumed) title.push(segment(`${sep}resumed`, 'yellow'));
  const clock = [segment(formatDuration(endedAt - run.startedAt), model.end === undefined ? 'cyan' : 'dim')];

  const { framework, packageManager } = run.detected;
  const where: Segment[] = [
    segment(toSingleLine(run.installDir)),
    segment(`${sep}${framework ?? 'no framework detected'}`, framework === null ? 'yellow' : 'dim'),
    ...(packageManager === null ? [] : [segment(`${sep}${packageManager}`, 'dim')]),
  ];

  return [composeLine(title, clock, width, paint, glyphs.ellipsis), composeLine(where, [], width, paint, glyphs.ellipsis), progressLine(model, context)];
}

function progressLine(model: RunViewModel, context: LayoutContext): string {
  const { glyphs, paint, width } = context;
  const counts = countTasks(model.tasks);
  const parts: Array<[number, string, Style]> = [
    [counts.done, 'done', 'green'],
    [counts.running, 'running', 'cyan'],
    [counts.pending, 'pending', 'dim'],
    [counts.skipped, 'skipped', 'dim'],
    [counts.failed, 'failed', 'red'],
    [counts.blocked, 'blocked', 'yellow'],
  ];
  const tally: Segment[] = [];
  for (const [count, label, style] of parts) {
    if (count === 0 && label !== 'done') continue;
    if (tally.length > 0) tally.push(segment(` ${glyphs.separator} `, 'dim'));
    tally.push(segment(`${count} ${label}`, style));
  }
  const right = model.guardTrips > 0 ? [segment(`${glyphs.warning} ${model.guardTrips} guard ${model.guardTrips === 1 ? 'trip' : 'trips'}`, 'yellow')] : [];
  const fraction = segment(`[${counts.finished}/${counts.total}] `, 'bold');
  // The bar gets what the numbers leave over, and disappears before they would be cut.
  const spare = width - segmentsWidth([fraction, ...tally]) - (right.length > 0 ? segmentsWidth(right) + 1 : 0) - 1;
  const barWidth = Math.min(BAR_WIDTH, spare >= MIN_BAR_WIDTH ? spare : 0);
  const filled = counts.total === 0 ? 0 : Math.round((counts.finished / counts.total) * barWidth);
  const bar = barWidth === 0 ? [] : [segment(glyphs.barFull.repeat(filled), counts.failed > 0 ? 'red' : 'green'), segment(glyphs.barEmpty.repeat(barWidth - filled), 'dim'), segment(' ')];
  return composeLine([fraction, ...bar, ...tally], right, width, paint, glyphs.ellipsis);
}
