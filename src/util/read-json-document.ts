import { open, readFile, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { InputError } from '../errors/input-error.js';
import { assertNestingDepth } from './assert-nesting-depth.js';
import { MAX_JSON_DOCUMENT_BYTES, parseJsonBytes, tooLarge } from './parse-json-bytes.js';

/**
 * Reads one whole JSON document (a config, a plan, an items or records array): the size is
 * checked before reading, so a file V8 cannot hold is one line naming the limit rather than
 * gigabytes of memory and an internal error; nesting is checked after parsing.
 */
export async function readJsonDocument(file: string): Promise<unknown> {
  const info = await statInput(file);
  if (info.isFile() && info.size > MAX_JSON_DOCUMENT_BYTES) throw new InputError(tooLarge(info.size, false), { file });
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw readError(error, file);
  }
  const value = parseJsonBytes(bytes, file);
  assertNestingDepth(value, file);
  return value;
}

/** `stat` with the reading errors as one line each. */
export async function statInput(file: string): Promise<Stats> {
  let info: Stats;
  try {
    info = await stat(file);
  } catch (error) {
    throw readError(error, file);
  }
  if (info.isDirectory()) throw new InputError('is a directory, expected a JSON file', { file });
  return info;
}

/** The first `bytes` bytes of a file (fewer when it is shorter). */
export async function readHead(file: string, bytes: number): Promise<Buffer> {
  try {
    const handle = await open(file, 'r');
    try {
      const buffer = Buffer.alloc(bytes);
      const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw readError(error, file);
  }
}

export function readError(error: unknown, file: string): InputError {
  const code = (error as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory, expected a JSON file' : `cannot read (${code ?? 'unknown error'})`;
  return new InputError(why, { file });
}
