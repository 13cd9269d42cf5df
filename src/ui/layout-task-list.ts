import type { Task } from '../queue/task.js';
import { composeLine, segment, type Segment } from './compose-line.js';
import type { LayoutContext } from './layout-context.js';
import { layoutTaskRow } from './layout-task-row.js';
import { orderByDependencyDepth } from './order-by-dependency-depth.js';
import { pickVisibleTasks } from './pick-visible-tasks.js';
import { textWidth } from './text-width.js';
import { writeScopeWaits } from '../queue/write-scopes.js';

const MAX_ID_WIDTH = 18;

/**
 * The task list in dependency-depth order, at most `rows` lines. When it does not fit, finished
 * work collapses into one count line at the top and the tasks left out of the pending tail into
 * one line at the bottom, so running and upcoming tasks stay in view.
 */
export function layoutTaskList(tasks: readonly Task[], rows: number, context: LayoutContext, waiting: string): string[] {
  const { glyphs, paint, width } = context;
  if (rows <= 0) return [];
  if (tasks.length === 0) return [composeLine([segment(`  ${waiting}`, 'dim')], [], width, paint, glyphs.ellipsis)];
  const ordered = orderByDependencyDepth(tasks);
  let picked = pickVisibleTasks(ordered, rows);
  // Reserve a line for each count line the pick needs, then pick again with what is left.
  for (let reserve = 1; reserve <= 2 && picked.shown.length < ordered.length; reserve += 1) {
    picked = pickVisibleTasks(ordered, rows - reserve);
    if (countLinesNeeded(picked.hidden) <= reserve) break;
  }
  const { shown, hidden } = picked;
  const idWidth = Math.min(MAX_ID_WIDTH, Math.max(0, ...shown.map((task) => textWidth(task.id))));
  const lines: string[] = [];

  const finished: Segment[] = [];
  const addCount = (count: number, text: string, style: Parameters<typeof segment>[1]): void => {
    if (count === 0) return;
    if (finished.length > 0) finished.push(segment(` ${glyphs.separator} `, 'dim'));
    finished.push(segment(text, style));
  };
  addCount(hidden.done, `${glyphs.status.done} ${hidden.done} done`, 'green');
  addCount(hidden.skipped, `${glyphs.status.skipped} ${hidden.skipped} skipped`, 'dim');
  addCount(hidden.failed, `${glyphs.status.failed} ${hidden.failed} failed`, 'red');
  addCount(hidden.blocked, `${glyphs.status.blocked} ${hidden.blocked} blocked`, 'yellow');
  if (finished.length > 0) lines.push(composeLine([segment('  '), ...finished], [], width, paint, glyphs.ellipsis));

  const waitsFor = writeScopeWaits(tasks, shown);
  for (const task of shown) {
    const writer = waitsFor.get(task.id);
    lines.push(layoutTaskRow(task, { width, idWidth, now: context.now, glyphs, paint, ...(context.snapshot !== undefined ? { snapshot: context.snapshot } : {}), ...(writer !== undefined ? { waitsForWriter: writer } : {}) }));
  }

  const unfinished = [hidden.running > 0 ? `${hidden.running} more running` : '', hidden.pending > 0 ? `${hidden.pending} more pending` : ''].filter((part) => part !== '');
  if (unfinished.length > 0) lines.push(composeLine([segment(`  ${glyphs.ellipsis} ${unfinished.join(` ${glyphs.separator} `)}`, 'dim')], [], width, paint, glyphs.ellipsis));
  return lines.slice(0, rows);
}

function countLinesNeeded(hidden: Readonly<Record<Task['status'], number>>): number {
  const finished = hidden.done + hidden.skipped + hidden.failed + hidden.blocked > 0 ? 1 : 0;
  const unfinished = hidden.pending + hidden.running > 0 ? 1 : 0;
  return finished + unfinished;
}
