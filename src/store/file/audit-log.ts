import { open, readFile, truncate, type FileHandle } from 'node:fs/promises';
import { DroverError } from '../../errors/drover-error.js';
import type { QueueEvent } from '../../queue/events.js';
import { parseWithSchema } from '../../util/parse-with-schema.js';
import { auditEventSchema } from './state-schemas.js';

export interface ReadLog {
  readonly events: QueueEvent[];
  /** Set when the last line was torn (a crash mid-write): it was dropped and the file cut back to the last whole line. */
  readonly tornLine?: string;
}

/**
 * Reads `audit.jsonl`. Only the *last* line may be damaged — that is what a crash mid-append
 * leaves — and it is ignored and reported; damage anywhere else means the file was edited or
 * corrupted, and loading stops with a clear error rather than guessing. With `repair` (the
 * default) the torn line is also cut from the file, so later appends start on a clean line.
 */
export async function readAuditLog(file: string, options: { repair?: boolean } = {}): Promise<ReadLog> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { events: [] };
    throw error;
  }
  const events: QueueEvent[] = [];
  let offset = 0;
  let lineNo = 0;
  let tornLine: string | undefined;
  while (offset < text.length) {
    const end = text.indexOf('\n', offset);
    const complete = end !== -1;
    const line = text.slice(offset, complete ? end : text.length);
    lineNo += 1;
    const isLast = !complete || end === text.length - 1;
    const event = parseLine(line, file, lineNo, isLast);
    if (event === undefined || !complete) {
      if (!isLast) throw new DroverError('state-corrupt', `${file}: line ${lineNo}: not a valid audit event`);
      tornLine = line;
      if (options.repair !== false) await truncate(file, Buffer.byteLength(text.slice(0, offset)));
      break;
    }
    const expected = (events.at(-1)?.seq ?? 0) + 1;
    if (event.seq !== expected) throw new DroverError('state-corrupt', `${file}: line ${lineNo}: $.seq: expected ${expected}, got ${event.seq}`);
    events.push(event);
    offset = end + 1;
  }
  return tornLine === undefined ? { events } : { events, tornLine };
}

function parseLine(line: string, file: string, lineNo: number, isLast: boolean): QueueEvent | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  try {
    return parseWithSchema(auditEventSchema, value, `${file}: line ${lineNo}`) as unknown as QueueEvent;
  } catch (error) {
    if (isLast) return undefined;
    throw new DroverError('state-corrupt', (error as Error).message);
  }
}

/**
 * Appends events with group commit: appends that arrive while a write is in flight are
 * batched into the next single write + fdatasync, so durability costs one sync per batch,
 * not per event, under concurrency.
 */
export class AuditLogWriter {
  readonly #file: string;
  #handle: FileHandle | undefined;
  #pending: string[] = [];
  #waiters: Array<{ resolve: () => void; reject: (error: unknown) => void }> = [];
  #flushing: Promise<void> | undefined;
  #failed: unknown;

  constructor(file: string) {
    this.#file = file;
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
      this.#handle ??= await open(this.#file, 'a');
      while (this.#pending.length > 0) {
        const batch = this.#pending.join('');
        const waiters = this.#waiters;
        this.#pending = [];
        this.#waiters = [];
        try {
          await this.#handle.write(batch);
          await this.#handle.datasync();
        } catch (error) {
          this.#failed = error;
          for (const waiter of [...waiters, ...this.#waiters]) waiter.reject(error);
          this.#waiters = [];
          return;
        }
        for (const waiter of waiters) waiter.resolve();
      }
    } catch (error) {
      this.#failed = error;
      for (const waiter of this.#waiters) waiter.reject(error);
      this.#waiters = [];
    } finally {
      this.#flushing = undefined;
      if (this.#pending.length > 0 && this.#failed === undefined) this.#flushing = this.#flush();
    }
  }

  async close(): Promise<void> {
    while (this.#flushing !== undefined) await this.#flushing;
    await this.#handle?.close();
    this.#handle = undefined;
  }
}
