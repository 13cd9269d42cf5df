import { constants, isUtf8 } from 'node:buffer';
import { InputError } from '../errors/input-error.js';
import { firstInvalidUtf8 } from './first-invalid-utf8.js';

/** The largest JSON document V8 can hold as one string (512 MiB on 64-bit Node). */
export const MAX_JSON_DOCUMENT_BYTES = constants.MAX_STRING_LENGTH;

const BOM = [0xef, 0xbb, 0xbf] as const;

/**
 * Parses a whole JSON document from bytes, with every failure one `InputError` line naming the
 * file: a UTF-8 byte-order mark is skipped (editors write one); invalid UTF-8 is rejected with
 * the byte offset rather than decoded to U+FFFD (two different bad bytes would otherwise become
 * the same text and, say, merge two groups); a parse error never quotes the source, which may
 * span lines or carry terminal escapes.
 */
export function parseJsonBytes(bytes: Uint8Array, file: string, where?: { readonly line?: number; readonly offset?: number }): unknown {
  const skip = (where?.line ?? 1) === 1 && hasBom(bytes) ? BOM.length : 0;
  const body = skip === 0 ? bytes : bytes.subarray(skip);
  const base = where?.offset ?? 0;
  const at = where?.line === undefined ? undefined : `line ${where.line}`;
  if (!isUtf8(body)) throw new InputError(`invalid UTF-8 at byte ${base + skip + firstInvalidUtf8(body)}`, { file, jsonPath: at });
  if (body.length > MAX_JSON_DOCUMENT_BYTES) throw new InputError(tooLarge(body.length, where?.line !== undefined), { file, jsonPath: at });
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InputError(`invalid JSON: ${oneLine((error as Error).message, text)}`, { file, jsonPath: at });
  }
}

/** The one-line message for a document (or a JSON Lines line) above `MAX_JSON_DOCUMENT_BYTES`. */
export function tooLarge(bytes: number, isLine: boolean): string {
  const mib = (value: number) => `${Math.floor(value / 2 ** 20)} MiB`;
  const what = isLine ? 'this line is' : 'the file is';
  const hint = isLine ? '' : '; split it, or give the items or records as JSON Lines (one object per line)';
  return `${what} ${mib(bytes)}, above the ${mib(MAX_JSON_DOCUMENT_BYTES)} limit of one JSON document${hint}`;
}

export function hasBom(bytes: Uint8Array): boolean {
  return bytes[0] === BOM[0] && bytes[1] === BOM[1] && bytes[2] === BOM[2];
}

/**
 * V8's message without the quoted source (`Unexpected token '}', "{"a":\n}" is not valid JSON`),
 * with a position turned into line and column, and control characters escaped.
 */
function oneLine(message: string, text: string): string {
  let out = message.replace(/, ".*" is not valid JSON$/s, '');
  const position = /at position (\d+)/.exec(out);
  if (position?.[1] !== undefined) out = out.replace(position[0], `at ${lineAndColumn(text, Number(position[1]))}`);
  // eslint-disable-next-line no-control-regex
  return out.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function lineAndColumn(text: string, position: number): string {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < position; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return `line ${line} column ${position - start + 1}`;
}
