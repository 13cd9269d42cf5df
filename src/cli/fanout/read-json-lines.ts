import { createReadStream } from 'node:fs';
import { hasBom, MAX_JSON_DOCUMENT_BYTES, parseJsonBytes, tooLarge } from '../../util/parse-json-bytes.js';
import { InputError } from '../../errors/input-error.js';

/** The values of the lines that ended in one chunk of the file, with their 1-based line numbers. */
export interface JsonLinesBatch {
  readonly values: unknown[];
  readonly lines: number[];
}

/**
 * Streams a JSON Lines file: one JSON value per line, blank lines and `\r` line ends allowed, a
 * UTF-8 byte-order mark on the first line skipped. Values come in batches, one per 1 MiB chunk
 * read (a promise per batch, not per line); only the lines of one chunk are held as text at a
 * time, so a file of any size can be read. A bad line is one `InputError` naming the file and the line.
 */
export async function* readJsonLines(file: string): AsyncGenerator<JsonLinesBatch> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let line = 1;
  let offset = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    const batch: JsonLinesBatch = { values: [], lines: [] };
    let start = 0;
    for (let end = chunk.indexOf(10); end !== -1; end = chunk.indexOf(10, start)) {
      const bytes = pending.length === 0 ? chunk.subarray(start, end) : Buffer.concat([...pending, chunk.subarray(start, end)]);
      pending = [];
      pendingBytes = 0;
      const value = parseLine(bytes, file, line, offset);
      if (value !== blank) {
        batch.values.push(value);
        batch.lines.push(line);
      }
      offset += bytes.length + 1;
      line++;
      start = end + 1;
    }
    if (start < chunk.length) {
      pending.push(chunk.subarray(start));
      pendingBytes += chunk.length - start;
      if (pendingBytes > MAX_JSON_DOCUMENT_BYTES) throw new InputError(tooLarge(pendingBytes, true), { file, jsonPath: `line ${line}` });
    }
    if (batch.values.length > 0) yield batch;
  }
  if (pending.length > 0) {
    const value = parseLine(Buffer.concat(pending), file, line, offset);
    if (value !== blank) yield { values: [value], lines: [line] };
  }
}

const blank = Symbol('blank line');

function parseLine(bytes: Buffer, file: string, line: number, offset: number): unknown {
  const end = bytes.length > 0 && bytes[bytes.length - 1] === 13 ? bytes.length - 1 : bytes.length;
  let first = line === 1 && hasBom(bytes) ? 3 : 0;
  while (first < end && (bytes[first] === 32 || bytes[first] === 9)) first++;
  if (first === end) return blank;
  return parseJsonBytes(end === bytes.length ? bytes : bytes.subarray(0, end), file, { line, offset });
}
