import { InputError } from '../errors/input-error.js';

export interface FrontmatterSplit {
  /** The YAML between the `---` fences, or `undefined` when the file has no frontmatter block. */
  readonly yaml: string | undefined;
  /** The 1-based file line the YAML starts on, so YAML errors can point into the file. */
  readonly yamlLine: number;
  /** Everything after the closing fence (or the whole file), with `\n` line ends. */
  readonly body: string;
}

const OPEN = /^---[ \t]*$/;
const CLOSE = /^(?:---|\.\.\.)[ \t]*$/;

/**
 * Splits a markdown file into its YAML frontmatter and body. The block must start on the first
 * line with `---` and end with a `---` (or YAML's `...`) line; an opened but unclosed block is an
 * error rather than a body, because silently treating the YAML as prose hides a typo.
 */
export function splitFrontmatter(text: string, file: string): FrontmatterSplit {
  const lines = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n');
  if (lines[0] === undefined || !OPEN.test(lines[0])) return { yaml: undefined, yamlLine: 1, body: lines.join('\n') };
  const end = lines.findIndex((line, index) => index > 0 && CLOSE.test(line));
  if (end === -1) throw new InputError('frontmatter: no closing "---" line after the opening one on line 1', { file });
  return { yaml: lines.slice(1, end).join('\n'), yamlLine: 2, body: lines.slice(end + 1).join('\n') };
}
