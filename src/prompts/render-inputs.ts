import { fenceBlock } from './fence-block.js';
import { indentLines } from './markdown-text.js';

/** Values longer than this, or spanning lines, go in a fenced block under their key. */
const INLINE_LIMIT = 120;

/**
 * Renders task inputs as `- key: value` lines in the inputs' own order. Strings are written as
 * they are, anything else JSON-encoded; long or multi-line values are fenced (pretty JSON for
 * non-strings). `undefined` values are left out, as JSON would.
 */
export function renderInputs(inputs: Readonly<Record<string, unknown>>): string {
  const lines = Object.entries(inputs).flatMap(([key, value]) => (value === undefined ? [] : [renderInput(key, value)]));
  return lines.length === 0 ? 'None.' : lines.join('\n');
}

function renderInput(key: string, value: unknown): string {
  const inline = typeof value === 'string' && value !== '' ? value : String(JSON.stringify(value));
  if (!inline.includes('\n') && inline.length <= INLINE_LIMIT) return `- ${key}: ${inline}`;
  const block = typeof value === 'string' ? fenceBlock(value) : fenceBlock(JSON.stringify(value, null, 2), 'json');
  return `- ${key}:\n\n${indentLines(block, 2)}\n`;
}
