import { extname } from 'node:path';
import { InputError } from '../../errors/input-error.js';
import type { JsonObject } from '../../fanout/index.js';
import { describeValue } from '../../util/describe-value.js';
import { hasBom } from '../../util/parse-json-bytes.js';
import { checkObjectList } from './check-object-list.js';
import { readHead, readJsonDocument, statInput } from './read-json-document.js';
import { readJsonLines } from './read-json-lines.js';
import { assertNestingDepth } from '../../util/assert-nesting-depth.js';
import { isPlainObject } from '../../fanout/is-plain-object.js';

const JSON_LINES_EXTENSIONS: ReadonlySet<string> = new Set(['.jsonl', '.ndjson']);
const SNIFF_BYTES = 1 << 16;

/**
 * Reads items, records or finding packets: a JSON array of objects, `{"<field>": [...]}`, or JSON Lines (one object
 * per line) — by extension (`.jsonl`, `.ndjson`) or detected: a first line that is a whole JSON
 * object followed by more lines. JSON Lines is streamed, so it has no size limit of its own.
 */
export async function readObjectList(file: string, field: 'items' | 'records' | 'packets'): Promise<JsonObject[]> {
  const info = await statInput(file);
  if (JSON_LINES_EXTENSIONS.has(extname(file).toLowerCase()) || (info.isFile() && looksLikeJsonLines(await readHead(file, SNIFF_BYTES)))) return readObjectLines(file);
  const value = await readJsonDocument(file);
  if (Array.isArray(value)) return checkObjectList(value, file, []);
  if (isPlainObject(value) && Array.isArray(value[field])) return checkObjectList(value[field], file, [field]);
  throw new InputError(`expected an array of ${field}, {"${field}": [...]} or JSON Lines, got ${describeValue(value)}`, { file, jsonPath: '$' });
}

async function readObjectLines(file: string): Promise<JsonObject[]> {
  const out: JsonObject[] = [];
  for await (const { value, line } of readJsonLines(file)) {
    if (!isPlainObject(value)) throw new InputError(`expected object, got ${describeValue(value)}`, { file, jsonPath: `line ${line}` });
    assertNestingDepth(value, file, [], line);
    out.push(value);
  }
  return out;
}

/** `{...}` on the first line, parsing on its own, and something after it. */
function looksLikeJsonLines(head: Buffer): boolean {
  let start = hasBom(head) ? 3 : 0;
  while (start < head.length && (head[start] === 32 || head[start] === 9 || head[start] === 13 || head[start] === 10)) start++;
  if (head[start] !== 0x7b) return false;
  const end = head.indexOf(10, start);
  if (end === -1) return false;
  const rest = head.subarray(end + 1).toString('utf8').trim();
  if (rest === '') return false;
  try {
    return isPlainObject(JSON.parse(head.subarray(start, end).toString('utf8')));
  } catch {
    return false;
  }
}
