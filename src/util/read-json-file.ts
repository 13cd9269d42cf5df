import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { InputError } from '../errors/input-error.js';
import { parseWithSchema } from './parse-with-schema.js';

/** Reads and parses a JSON file, turning every failure into one `InputError` line naming the file. */
export async function readJsonFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory, expected a JSON file' : `cannot read (${code ?? 'unknown error'})`;
    throw new InputError(why, { file });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InputError(`invalid JSON: ${(error as Error).message}`, { file });
  }
}

/** `readJsonFile` followed by schema validation. */
export async function readJsonFileWith<S extends z.ZodType>(file: string, schema: S): Promise<z.output<S>> {
  return parseWithSchema(schema, await readJsonFile(file), file);
}
