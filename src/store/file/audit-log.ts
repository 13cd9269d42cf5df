import { constants, createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { DroverError } from '../../errors/drover-error.js';
import { stateWriteError } from '../../errors/state-write-error.js';
import type { QueueEvent } from '../../queue/events.js';
import { parseWithSchema } from '../../util/parse-with-schema.js';
import { APPEND_FLAGS, nodeStateFs, READ_FLAGS, type StateFile, type StateFs } from '../../util/state-fs.js';
import { linkRefused } from '../../util/state-dir-guard.js';
import { stateSchemas } from './state-schemas.js';

/** O_DSYNC: a write returns once its data is durable, like write + fdatasync (0 where unsupported: then datasync is called). */
const DSYNC = constants.O_DSYNC ?? 0;

export interface ReadLog {
  /** Events read (0 when the file is missing or empty). */
  readonly count: number;
  readonly lastSeq: number;
  /** Set when the last line was torn (a crash mid-write): it was dropped and the file cut back to the last whole line. */
  readonly tornLine?: string;
}

/**
 * Streams `audit.jsonl` line by line into `onEvent`, so a log of any size (a runaway agent's
 * refusals can make it gigabytes) is read in bounded memory: nothing holds the whole file or
 * every event. Only the *last* line may be damaged — that is what a crash mid-append leaves — and
 * it is ignored and reported; damage anywhere else means the file was edited or corrupted, and
 * loading stops with a clear error rather than guessing. With `repair` (the default) the torn line
 * is also cut from the file, so later appends start on a clean line. The file is opened with
 * O_NOFOLLOW: a linked log is refused, never read through.
 */
export async function readAuditLog(file: string, onEvent: (event: QueueEvent) => void, options: { repair?: boolean; fs?: StateFs } = {}): Promise<ReadLog> {
  let handle;
  try {
    handle = await open(file, READ_FLAGS);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { count: 0, lastSeq: 0 };
    if (code === 'ELOOP') throw linkRefused(file);
    throw stateWriteError(file, error, 'could not read');
  }
  let count = 0;
  let lastSeq = 0;
  let lineNo = 0;
  let wholeBytes = 0; // bytes of the lines accepted so far
  let pending: { line: string; invalid: string } | undefined; // a whole line that did not parse: fine only if it is the last
  let carry: Buffer[] = [];
  let carryBytes = 0;
  const decoder = new StringDecoder('utf8');
  const take = (bytes: Buffer): void => {
    lineNo += 1;
    if (pending !== undefined) throw new DroverError('state-corrupt', pending.invalid);
    const line = decoder.write(bytes) + decoder.end();
    const event = parseLine(line, file, lineNo);
    if ('invalid' in event) {
      pending = { line, invalid: event.invalid };
      return;
    }
    if (event.seq !== lastSeq + 1) throw new DroverError('state-corrupt', `${file}: line ${lineNo}: $.seq: expected ${lastSeq + 1}, got ${event.seq}`);
    lastSeq = event.seq;
    count += 1;
    wholeBytes += bytes.length;
    onEvent(event);
  };
  try {
    const stream = createReadStream('', { fd: handle, autoClose: false, highWaterMark: 1 << 20 });
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let start = 0;
      for (let end = chunk.indexOf(10, start); end !== -1; end = chunk.indexOf(10, start)) {
        const piece = chunk.subarray(start, end + 1);
        const bytes = carryBytes === 0 ? piece : Buffer.concat([...carry, piece], carryBytes + piece.length);
        carry = [];
        carryBytes = 0;
        take(bytes);
        start = end + 1;
      }
      if (start < chunk.length) {
        carry.push(chunk.subarray(start));
        carryBytes += chunk.length - start;
      }
    }
  } finally {
    await handle.close();
  }
  const torn = carryBytes > 0 ? Buffer.concat(carry, carryBytes).toString('utf8') : pending?.line.replace(/\n$/, '');
  if (carryBytes > 0 && pending !== undefined) throw new DroverError('state-corrupt', pending.invalid);
  if (torn === undefined) return { count, lastSeq };
  if (options.repair !== false) {
    try {
      // Through a handle opened without following links, never by path.
      const cut = await (options.fs ?? nodeStateFs).open(file, APPEND_FLAGS);
      try {
        await cut.truncate(wholeBytes);
      } finally {
        await cut.close();
      }
    } catch (error) {
      throw stateWriteError(file, error, 'could not cut the torn last line');
    }
  }
  return { count, lastSeq, tornLine: torn };
}

/** The event on `line`, or why it is not one (a JSON error means torn; a schema error names the field). */
function parseLine(line: string, file: string, lineNo: number): QueueEvent | { readonly invalid: string } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { invalid: `${file}: line ${lineNo}: not a valid audit event` };
  }
  const parsed = stateSchemas().auditEventSchema.safeParse(value);
  if (parsed.success) return parsed.data as unknown as QueueEvent;
  try {
    parseWithSchema(stateSchemas().auditEventSchema, value, `${file}: line ${lineNo}`);
  } catch (error) {
    return { invalid: (error as Error).message };
  }
  return { invalid: `${file}: line ${lineNo}: not a valid audit event` };
}

/**
 * Appends events with group commit: appends made in the same turn of the event loop, and those
 * that arrive while a write is in flight, go out as one write + one fdatasync, so durability
 * costs one sync per batch, not per event. The batch is cut a microtask after the first append,
 * which lets the executor stage the start a completion enables into the same commit.
 * The file is opened with O_DSYNC, so each batch is one write that returns once durable (one
 * thread-pool job instead of a write and an fdatasync).
 *
 * A failed write or sync poisons the writer: every waiting and later append rejects with a
 * `StateWriteError` naming the file, since what reached the disk is no longer known.
 */
export class AuditLogWriter {
  readonly #file: string;
  readonly #fs: StateFs;
  #handle: StateFile | undefined;
  #pending: string[] = [];
  #waiters: Array<{ resolve: () => void; reject: (error: unknown) => void }> = [];
  #flushing: Promise<void> | undefined;
  #failed: unknown;

  constructor(file: string, fs: StateFs = nodeStateFs) {
    this.#file = file;
    this.#fs = fs;
  }

  get failure(): unknown {
    return this.#failed;
  }

  append(events: readonly QueueEvent[]): Promise<void> {
    if (this.#failed !== undefined) return Promise.reject(this.#failed);
    for (const event of events) this.#pending.push(`${JSON.stringify(event)}\n`);
    const done = new Promise<void>((resolve, reject) => this.#waiters.push({ resolve, reject }));
    this.#flushing ??= this.#flush();
    return done;
  }

  async #flush(): Promise<void> {
    try {
      // Let appends staged in this same turn of the event loop (a completion and the start it
      // enables) join the batch.
      await new Promise<void>((resolve) => setImmediate(resolve));
      this.#handle ??= await this.#fs.open(this.#file, APPEND_FLAGS | DSYNC, 0o644);
      while (this.#pending.length > 0) {
        const batch = this.#pending.join('');
        const waiters = this.#waiters;
        this.#pending = [];
        this.#waiters = [];
        const handle = this.#handle;
        await handle
          .write(batch)
          .then(() => (DSYNC === 0 ? handle.datasync() : undefined))
          .catch((error: unknown) => {
            this.#waiters = [...waiters, ...this.#waiters];
            throw error;
          });
        for (const waiter of waiters) waiter.resolve();
      }
    } catch (error) {
      this.#failed = (error as NodeJS.ErrnoException).code === 'ELOOP' ? linkRefused(this.#file) : stateWriteError(this.#file, error);
      for (const waiter of this.#waiters) waiter.reject(this.#failed);
      this.#waiters = [];
      this.#pending = [];
    } finally {
      this.#flushing = undefined;
      if (this.#pending.length > 0 && this.#failed === undefined) this.#flushing = this.#flush();
    }
  }

  async close(): Promise<void> {
    while (this.#flushing !== undefined) await this.#flushing;
    const handle = this.#handle;
    this.#handle = undefined;
    await handle?.close().catch(() => undefined);
  }
}
