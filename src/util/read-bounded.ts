import { open } from 'node:fs/promises';
import { READ_FLAGS } from './state-fs.js';

/** At most `max` bytes of a file (its head or its tail), never through a link; undefined when it is missing. */
export async function readBounded(file: string, max: number, keep: 'head' | 'tail'): Promise<string | undefined> {
  let handle;
  try {
    handle = await open(file, READ_FLAGS);
  } catch {
    return undefined;
  }
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, max);
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, keep === 'head' ? 0 : size - length);
    let text = buffer.toString('utf8', 0, bytesRead);
    // A cut in the middle of a character leaves a replacement character at the cut edge: drop it.
    if (size > max) text = keep === 'head' ? text.replace(/\uFFFD$/, '') : text.replace(/^\uFFFD/, '');
    return text;
  } finally {
    await handle.close();
  }
}
