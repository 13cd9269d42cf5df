import { dirname } from 'node:path';
import { stateWriteError } from '../errors/state-write-error.js';
import { APPEND_FLAGS, nodeStateFs, type StateFile, type StateFs } from './state-fs.js';
import { ensureStateDir } from './write-state-file.js';

/** Default bytes of output kept per attempt in `logs/<id>.log`. */
export const DEFAULT_LOG_CAP_BYTES = 4 * 1024 * 1024;

/** The line that marks a cut log; `drover status --task` looks for it. */
export const LOG_CUT_PREFIX = '--- log cut:';

export interface AttemptLog {
  write(text: string): void;
  /** Waits for every write; throws a `StateWriteError` naming the file if one failed. */
  close(): Promise<void>;
}

/**
 * One attempt's output, appended to `logs/<id>.log` (never through a link), bounded to about
 * `capBytes` per attempt: once the attempt's output passes the cap, its part of the file is
 * rewritten as the header, a `--- log cut: …` line and the last half-cap of output, and so on each
 * time it grows past the cap again — so the tail is kept, memory stays under half the cap, and
 * each byte is rewritten at most a few times. The first failed write (a full disk) stops writing,
 * calls `onFailure` (the agent is stopped) and makes `close()` throw.
 */
export async function openAttemptLog(file: string, options: { header: string; capBytes?: number; fs?: StateFs; onFailure?: (error: Error) => void }): Promise<AttemptLog> {
  const fs = options.fs ?? nodeStateFs;
  const cap = Math.max(1024, options.capBytes ?? DEFAULT_LOG_CAP_BYTES);
  const keep = Math.floor(cap / 2);
  let handle: StateFile;
  let start: number;
  try {
    await ensureStateDir(dirname(file), fs);
    handle = await fs.open(file, APPEND_FLAGS, 0o644);
    start = (await handle.stat()).size;
  } catch (error) {
    throw stateWriteError(file, error);
  }
  const header = Buffer.from(options.header);
  let inFile = 0; // this attempt's bytes in the file
  let total = 0; // this attempt's output bytes so far
  let tail: Buffer[] = []; // the last `keep` bytes of output
  let tailBytes = 0;
  let failure: Error | undefined;
  let chain: Promise<unknown> = Promise.resolve();
  const run = (job: () => Promise<unknown>): void => {
    chain = chain.then(async () => {
      if (failure !== undefined) return;
      try {
        await job();
      } catch (error) {
        failure = stateWriteError(file, error);
        options.onFailure?.(failure);
      }
    });
  };
  const append = (bytes: Buffer): void => {
    inFile += bytes.length;
    run(() => handle.write(bytes));
  };
  append(header);
  return {
    write(text) {
      if (failure !== undefined) return;
      const bytes = Buffer.from(text);
      total += bytes.length;
      tail.push(bytes);
      tailBytes += bytes.length;
      while (tailBytes - tail[0]!.length >= keep) tailBytes -= tail.shift()!.length;
      if (inFile + bytes.length <= cap) {
        append(bytes);
        return;
      }
      const kept = Buffer.concat(tail, tailBytes).subarray(Math.max(0, tailBytes - keep));
      tail = [kept];
      tailBytes = kept.length;
      const marker = Buffer.from(`${LOG_CUT_PREFIX} ${total - kept.length} earlier bytes of this attempt's output were dropped (the log keeps about the last ${cap} bytes per attempt)\n`);
      const rewrite = Buffer.concat([header, marker, kept]);
      inFile = rewrite.length;
      run(async () => {
        await handle.truncate(start);
        await handle.write(rewrite);
      });
    },
    async close() {
      await chain;
      await handle.close().catch(() => undefined);
      if (failure !== undefined) throw failure;
    },
  };
}
