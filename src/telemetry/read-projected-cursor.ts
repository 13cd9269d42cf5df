import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';

/**
 * The last audit `seq` of run `runId` that `events.jsonl` already holds: telemetry is a
 * projection of the audit log, and this is how far it got. A torn last line (a kill
 * mid-append) is cut off first, so the next append starts on a clean line. Read as a stream:
 * the file grows with the run.
 */
export async function readProjectedCursor(file: string, runId: string): Promise<number> {
  await cutTornTail(file);
  let cursor = 0;
  let input: ReturnType<typeof createReadStream>;
  try {
    input = createReadStream(file, { encoding: 'utf8' });
    await new Promise<void>((resolve, reject) => input.once('open', () => resolve()).once('error', reject));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    if (!line.includes(runId)) continue;
    try {
      const event = JSON.parse(line) as { run_id?: unknown; properties?: { seq?: unknown } };
      const seq = event.properties?.seq;
      if (event.run_id === runId && typeof seq === 'number' && seq > cursor) cursor = seq;
    } catch {
      // A damaged line projects nothing.
    }
  }
  return cursor;
}

async function cutTornTail(file: string): Promise<void> {
  let handle;
  try {
    handle = await open(file, 'r+');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  try {
    const { size } = await handle.stat();
    if (size === 0) return;
    const chunk = Buffer.alloc(Math.min(size, 64 * 1024));
    let end = size;
    // Walk back to the last newline; everything after it is an unfinished line.
    while (end > 0) {
      const start = Math.max(0, end - chunk.length);
      const { bytesRead } = await handle.read(chunk, 0, end - start, start);
      const newline = chunk.subarray(0, bytesRead).lastIndexOf(0x0a);
      if (newline !== -1) {
        if (start + newline + 1 !== size) await handle.truncate(start + newline + 1);
        return;
      }
      end = start;
    }
    await handle.truncate(0);
  } finally {
    await handle.close();
  }
}
