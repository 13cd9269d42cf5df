import { readBounded } from '../util/read-bounded.js';

/** The last `maxBytes` of a file as text (a cut first line is dropped), never through a link; undefined when there is no file. */
export async function readLogTail(file: string, maxBytes: number): Promise<string | undefined> {
  const text = await readBounded(file, maxBytes + 1, 'tail');
  if (text === undefined || Buffer.byteLength(text) <= maxBytes) return text;
  return text.slice(text.indexOf('\n') + 1);
}
