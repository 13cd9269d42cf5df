import { composeLine, segment } from './compose-line.js';
import type { LayoutContext } from './layout-context.js';
import { continueCommand } from './resume-command.js';
import type { RunViewModel } from './run-view-model.js';
import { wrapToWidth, type WrapOptions } from './text-width.js';
import { toSingleLine } from './to-single-line.js';

/**
 * Below the live list: the latest agent activity, the latest guard trip, notices, and — once the
 * user pressed Ctrl-C — that the run is stopping, how to resume it and how to force it.
 */
export function layoutFooter(model: RunViewModel, context: LayoutContext): string[] {
  const { glyphs, paint, width } = context;
  const lines: string[] = [];
  if (model.activity !== undefined) {
    const { taskId, line } = model.activity;
    lines.push(composeLine([segment(`${glyphs.activity} `, 'cyan'), segment(`${taskId}  `, 'cyan'), segment(line, 'dim')], [], width, paint, glyphs.ellipsis));
  }
  const trip = model.lastGuardTrip;
  if (trip !== undefined) {
    lines.push(
      composeLine(
        [segment(`${glyphs.warning} guard ${trip.guard}`, 'yellow'), segment(` ${trip.caller} ${glyphs.separator} ${trip.tool}: `, 'dim'), segment(toSingleLine(trip.message))],
        [],
        width,
        paint,
        glyphs.ellipsis,
      ),
    );
  }
  for (const notice of model.notices) lines.push(...hanging('!', notice, width, { maxLines: 2, ellipsis: glyphs.ellipsis }).map((part) => paint('yellow', part)));
  if (model.stopping && model.run !== undefined) {
    // The command on a line of its own, so it can be copied in one piece.
    const command = continueCommand(model.run);
    const stopping = [`${glyphs.stopped} stopping${glyphs.ellipsis} the run is resumable:`, ...hanging(' ', command, width, { maxLines: 4, breakWords: true }), '  press Ctrl-C again to force'];
    lines.push(...stopping.map((part) => paint('yellow', part)));
  }
  return lines;
}

/** `mark text`, wrapped with continuation lines indented under the text. */
function hanging(mark: string, text: string, width: number, options: WrapOptions): string[] {
  const indent = ' '.repeat(mark.length + 1);
  return wrapToWidth(text, width - indent.length, options).map((part, i) => `${i === 0 ? `${mark} ` : indent}${part}`);
}
