import { extname } from 'node:path';
import { InputError } from '../../errors/input-error.js';
import type { JsonObject } from '../../fanout/index.js';
import { isPlainObject } from '../../util/is-plain-object.js';
import { assertNestingDepth } from '../../util/assert-nesting-depth.js';
import { describeValue } from '../../util/describe-value.js';
import { hasBom } from '../../util/parse-json-bytes.js';
import { checkObjectList } from './check-object-list.js';
import { readHead, readJsonDocument, statInput } from '../../util/read-json-document.js';
import { readJsonLines } from './read-json-lines.js';

const JSON_LINES_EXTENSIONS: ReadonlySet<string> = new Set(['.jsonl', '.ndjson']);
const SNIFF_BYTES = 1 << 16;

export type ObjectListField = 'items' | 'records' | 'packets';

/** Items, records or packets, as they come off the file. */
export interface ObjectListSource {
  /**
   * True for a JSON Lines regular file: `batches()` streams it, each call reading it again, so a
   * consumer can keep only what it needs and come back for the rest. False for a JSON document
   * (already parsed and checked, held in memory) or a stream that can be read once.
   */
  readonly rereadable: boolean;
  /** The objects in file order, in batches; every one is checked to be an object nested within the limit. */
  batches(): AsyncIterable<readonly JsonObject[]>;
}

/**
 * Opens items, records or finding packets: a JSON array of objects, `{"<field>": [...]}`, or JSON
 * Lines (one object per line) — by extension (`.jsonl`, `.ndjson`) or detected: a first line that
 * is a whole JSON object followed by more lines. A JSON document is read and checked here; JSON
 * Lines is streamed, so it has no size limit of its own.
 */
export async function openObjectList(file: string, field: ObjectListField): Promise<ObjectListSource> {
  const info = await statInput(file);
  if (JSON_LINES_EXTENSIONS.has(extname(file).toLowerCase()) || (info.isFile() && looksLikeJsonLines(await readHead(file, SNIFF_BYTES)))) {
    return { rereadable: info.isFile(), batches: () => readObjectLines(file) };
  }
  const list = parseObjectList(await readJsonDocument(file), file, field);
  return {
    rereadable: false,
    async *batches() {
      yield list;
    },
  };
}

/** Reads the whole list into memory (for inputs that are used whole, such as finding packets). */
export async function readObjectList(file: string, field: ObjectListField): Promise<JsonObject[]> {
  const out: JsonObject[] = [];
  for await (const batch of (await openObjectList(file, field)).batches()) for (const value of batch) out.push(value);
  return out;
}

function parseObjectList(value: unknown, file: string, field: ObjectListField): JsonObject[] {
  if (Array.isArray(value)) return checkObjectList(value, file, []);
  if (isPlainObject(value) && Array.isArray(value[field])) return checkObjectList(value[field], file, [field]);
  throw new InputError(`expected an array of ${field}, {"${field}": [...]} or JSON Lines, got ${describeValue(value)}`, { file, jsonPath: '$' });
}

async function* readObjectLines(file: string): AsyncGenerator<readonly JsonObject[]> {
  for await (const { values, lines } of readJsonLines(file)) {
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      if (!isPlainObject(value)) throw new InputError(`expected object, got ${describeValue(value)}`, { file, jsonPath: `line ${lines[i]}` });
      assertNestingDepth(value, file, [], lines[i]);
    }
    yield values as JsonObject[];
  }
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

/** A list already in memory (a config's own items) as a source. */
export function listSource(list: readonly JsonObject[]): ObjectListSource {
  return {
    rereadable: false,
    async *batches() {
      yield list;
    },
  };
}
