import { composeLine, type Segment } from './compose-line.js';
import { glyphsFor } from './glyphs.js';
import type { LayoutContext, Snapshot } from './layout-context.js';
import { layoutFooter } from './layout-footer.js';
import { layoutHeader } from './layout-header.js';
import { layoutSummary } from './layout-summary.js';
import { layoutTaskList } from './layout-task-list.js';
import { createPaint } from './paint.js';
import type { RunViewModel } from './run-view-model.js';
import { summarizeRun } from './summarize-run.js';

export interface LayoutOptions {
  /** Columns available; every line fits in them. */
  readonly width: number;
  /** Lines available; the view never uses more (pass one less than the terminal's rows so it never scrolls). */
  readonly height: number;
  /** Epoch milliseconds: drives elapsed times and the spinner frame. */
  readonly now: number;
  /** Emit SGR colour codes. Off for NO_COLOR. */
  readonly color: boolean;
  /** ASCII marks instead of Unicode symbols. */
  readonly ascii?: boolean;
  /** Printed once instead of redrawn: no spinner frames (and for a dead run, no running clocks). */
  readonly snapshot?: Snapshot;
}

/**
 * The whole live view as lines, with no terminal, clock or I/O: header, progress, the task list
 * in dependency-depth order, and either the activity footer (while running) or the summary
 * (once ended). When space runs short the blank spacers go first, then the install-dir line,
 * then list rows (collapsed into counts); only a terminal too short for the footer itself
 * loses its bottom lines.
 */
export function layoutRunView(model: RunViewModel, options: LayoutOptions): string[] {
  const width = Math.max(10, Math.floor(options.width));
  const height = Math.max(1, Math.floor(options.height));
  const glyphs = glyphsFor(options.ascii === true);
  const paint = createPaint(options.color);
  const context: LayoutContext = { width, now: options.now, glyphs, paint, ...(options.snapshot !== undefined ? { snapshot: options.snapshot } : {}) };

  const header = layoutHeader(model, context);
  const footer = model.end === undefined ? layoutFooter(model, context) : layoutSummary(summarizeRun(model, model.end), glyphs, width).map((line: Segment[]) => composeLine(line, [], width, paint, glyphs.ellipsis));
  const waiting = model.end === undefined ? `no tasks yet; the seed step is planning the run${glyphs.ellipsis}` : 'no tasks';
  const wanted = Math.max(1, model.tasks.length);

  let spacers = footer.length > 0 ? 2 : 1;
  let head = header;
  const rowsFor = (): number => height - head.length - footer.length - spacers;
  if (rowsFor() < Math.min(3, wanted)) spacers = 0;
  if (rowsFor() < Math.min(3, wanted) && head.length === 3) head = [header[0]!, header[2]!];
  const rows = Math.max(1, rowsFor());

  const lines = [...head, ...(spacers > 0 ? [''] : []), ...layoutTaskList(model.tasks, rows, context, waiting), ...(spacers > 1 ? [''] : []), ...footer];
  return lines.slice(0, height);
}
