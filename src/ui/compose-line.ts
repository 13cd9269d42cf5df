import type { Paint, Style } from './paint.js';
import { textWidth, truncateToWidth } from './text-width.js';
import { stripTerminalControls } from './to-terminal-text.js';

/** A run of text in one style. Lines are built from segments so they can be cut to width before colour is added. */
export interface Segment {
  readonly text: string;
  readonly style?: Style;
}

/**
 * Every piece of text a view draws goes through here, so nothing read from a state dir — an id,
 * a path, a runId a shipped `.drover/` made up — can carry an escape sequence to the terminal.
 */
export function segment(text: string, style?: Style): Segment {
  const safe = stripTerminalControls(text);
  return style === undefined ? { text: safe } : { text: safe, style };
}

export function segmentsWidth(segments: readonly Segment[]): number {
  let width = 0;
  for (const part of segments) width += textWidth(part.text);
  return width;
}

/** Keeps segments up to `width` columns; the segment that overflows is cut and ends with `ellipsis`. */
export function truncateSegments(segments: readonly Segment[], width: number, ellipsis = '…'): Segment[] {
  if (segmentsWidth(segments) <= width) return [...segments];
  const out: Segment[] = [];
  let used = 0;
  for (const part of segments) {
    const w = textWidth(part.text);
    if (used + w < width) {
      out.push(part);
      used += w;
      continue;
    }
    const cut = truncateToWidth(part.text, width - used, ellipsis);
    if (cut !== '') out.push({ ...part, text: cut });
    break;
  }
  return out;
}

export function paintSegments(segments: readonly Segment[], paint: Paint): string {
  return segments.map((part) => paint(part.style, part.text)).join('');
}

export function plainText(segments: readonly Segment[]): string {
  return segments.map((part) => part.text).join('');
}

/**
 * One terminal line of exactly-at-most `width` columns: `left` flush left, `right` flush right.
 * When they do not fit, the right part gives up to 45% of the line (more if the left is
 * short), then the left part is cut: a long label loses its tail, never the status on the right.
 */
export function composeLine(left: readonly Segment[], right: readonly Segment[], width: number, paint: Paint, ellipsis = '…'): string {
  const leftWanted = segmentsWidth(left);
  const rightWanted = segmentsWidth(right);
  const rightBudget = Math.min(rightWanted, Math.max(Math.floor(width * 0.45), width - leftWanted - 1));
  const fittedRight = rightBudget > 0 ? truncateSegments(right, rightBudget, ellipsis) : [];
  const rightWidth = segmentsWidth(fittedRight);
  const fittedLeft = truncateSegments(left, Math.max(0, width - rightWidth - (rightWidth > 0 ? 1 : 0)), ellipsis);
  if (rightWidth === 0) return paintSegments(fittedLeft, paint);
  const gap = width - segmentsWidth(fittedLeft) - rightWidth;
  return paintSegments(fittedLeft, paint) + ' '.repeat(Math.max(1, gap)) + paintSegments(fittedRight, paint);
}
