/**
 * Terminal columns taken by text. Wide East Asian characters and most emoji take two columns,
 * combining marks and zero-width joiners none. Good enough for labels and paths; the input is
 * expected to have been through `toSingleLine` (no control characters).
 */
export function textWidth(text: string): number {
  let width = 0;
  for (const char of text) width += charWidth(char.codePointAt(0)!);
  return width;
}

/** Cuts `text` to at most `width` columns, ending with `ellipsis` when anything was cut. */
export function truncateToWidth(text: string, width: number, ellipsis = '…'): string {
  if (width <= 0) return '';
  if (textWidth(text) <= width) return text;
  const room = width - textWidth(ellipsis);
  if (room < 0) return ellipsis.slice(0, width);
  let out = '';
  let used = 0;
  for (const char of text) {
    const w = charWidth(char.codePointAt(0)!);
    if (used + w > room) break;
    out += char;
    used += w;
  }
  return out + ellipsis;
}

/** Pads `text` with spaces to exactly `width` columns (cutting it first when it is wider). */
export function padToWidth(text: string, width: number, ellipsis = '…'): string {
  const cut = truncateToWidth(text, width, ellipsis);
  return cut + ' '.repeat(Math.max(0, width - textWidth(cut)));
}

export interface WrapOptions {
  readonly maxLines: number;
  readonly ellipsis?: string;
  /** Split a word wider than a line across lines instead of cutting it (for commands and paths a person copies). */
  readonly breakWords?: boolean;
}

/**
 * Breaks `text` into lines of at most `width` columns at spaces, keeping at most `maxLines`;
 * the last kept line ends with the ellipsis when text was left over.
 */
export function wrapToWidth(text: string, width: number, options: WrapOptions): string[] {
  const ellipsis = options.ellipsis ?? '…';
  if (width <= 0 || options.maxLines <= 0) return [];
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(' ').filter((part) => part !== '')) {
    const candidate = current === '' ? word : `${current} ${word}`;
    if (textWidth(candidate) <= width) {
      current = candidate;
      continue;
    }
    if (current !== '') lines.push(current);
    if (textWidth(word) <= width) {
      current = word;
    } else if (options.breakWords === true) {
      const pieces = breakWord(word, width);
      lines.push(...pieces.slice(0, -1));
      current = pieces[pieces.length - 1] ?? '';
    } else {
      current = truncateToWidth(word, width, ellipsis);
    }
  }
  if (current !== '') lines.push(current);
  if (lines.length <= options.maxLines) return lines;
  const kept = lines.slice(0, options.maxLines);
  kept[options.maxLines - 1] = truncateToWidth(kept[options.maxLines - 1]!, width - textWidth(ellipsis), '') + ellipsis;
  return kept;
}

function breakWord(word: string, width: number): string[] {
  const pieces: string[] = [];
  let piece = '';
  for (const char of word) {
    if (piece !== '' && textWidth(piece + char) > width) {
      pieces.push(piece);
      piece = '';
    }
    piece += char;
  }
  if (piece !== '') pieces.push(piece);
  return pieces;
}

function charWidth(codePoint: number): number {
  if (codePoint < 0x20 || (codePoint >= 0x7f && codePoint < 0xa0)) return 0;
  if (isZeroWidth(codePoint)) return 0;
  return isWide(codePoint) ? 2 : 1;
}

function isZeroWidth(cp: number): boolean {
  return (
    (cp >= 0x0300 && cp <= 0x036f) ||
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0x20d0 && cp <= 0x20ff) ||
    (cp >= 0xfe00 && cp <= 0xfe0f) ||
    (cp >= 0xe0100 && cp <= 0xe01ef)
  );
}

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}
