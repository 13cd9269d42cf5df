import { open, type FileHandle } from 'node:fs/promises';
import { DroverError } from '../../errors/drover-error.js';
import type { QueueEvent } from '../../queue/events.js';
import { stateSchemas } from '../../store/file/state-schemas.js';
import { READ_FLAGS } from '../../util/state-fs.js';

/** Every this many events, where its line starts, so `readEvents(after)` seeks instead of rescanning. */
const INDEX_EVERY = 256;
const CHUNK = 1 << 20;

/**
 * Follows an `audit.jsonl` that another process may be appending to, without writing it: only
 * whole lines (ending in `\n`) are read, so a line being written — or torn by a crash — is
 * simply not there yet. Remembers the byte offset it has read up to, and a sparse index of
 * where every 256th event starts, so reading new events costs what they cost, not the file.
 *
 * `ino` names the file it follows: `drover run --fresh` moves a run's files to `archive/` (same
 * inode) and starts a new log at the old path; a caller that sees another inode there knows the
 * run moved.
 */
export class AuditTail {
  readonly file: string;
  #offset = 0;
  #seq = 0;
  #ino: number | undefined;
  /** `index[i]` = byte offset of the line of event `i * INDEX_EVERY + 1`. */
  readonly #index: number[] = [];

  constructor(file: string) {
    this.file = file;
  }

  /** The last whole event read. */
  get seq(): number {
    return this.#seq;
  }

  get ino(): number | undefined {
    return this.#ino;
  }

  /**
   * Reads the whole lines appended since the last call, in order, into `onEvent`. `false`: the
   * file at this path is gone or is another file now (the run was archived).
   */
  async catchUp(onEvent: (event: QueueEvent) => void): Promise<boolean> {
    const handle = await openLog(this.file);
    if (handle === undefined) return this.#ino === undefined;
    try {
      const stat = await handle.stat();
      if (this.#ino !== undefined && stat.ino !== this.#ino) return false;
      this.#ino = stat.ino;
      await scanLines(handle, this.#offset, stat.size, (line, start, end) => {
        const event = parseLine(line, this.file, this.#seq + 1);
        if (event.seq !== this.#seq + 1) throw new DroverError('state-corrupt', `${this.file}: event ${this.#seq + 1}: $.seq: expected ${this.#seq + 1}, got ${event.seq}`);
        if ((event.seq - 1) % INDEX_EVERY === 0) this.#index.push(start);
        this.#seq = event.seq;
        this.#offset = end;
        onEvent(event);
        return true;
      });
      return true;
    } finally {
      await handle.close();
    }
  }

  /** Up to `limit` events with `seq > after`, among those `catchUp` has seen. */
  async read(after: number, limit: number): Promise<QueueEvent[]> {
    const out: QueueEvent[] = [];
    if (after >= this.#seq || limit <= 0) return out;
    const slot = Math.min(Math.floor(Math.max(0, after) / INDEX_EVERY), this.#index.length - 1);
    const from = this.#index[slot] ?? 0;
    const handle = await openLog(this.file);
    if (handle === undefined) return out;
    try {
      // Another file at this path now (the run moved to archive/): nothing here is this run's; the next catchUp finds where it went.
      if ((await handle.stat()).ino !== this.#ino) return out;
      let seq = slot * INDEX_EVERY;
      await scanLines(handle, from, this.#offset, (line) => {
        seq += 1;
        if (seq <= after) return true;
        out.push(parseLine(line, this.file, seq));
        return out.length < limit;
      });
    } finally {
      await handle.close();
    }
    return out;
  }
}

async function openLog(file: string): Promise<FileHandle | undefined> {
  try {
    return await open(file, READ_FLAGS);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw new DroverError('state-corrupt', `${file}: is a symbolic link; drover never reads through one`);
    throw error;
  }
}

/** Calls `onLine` for each whole line between `from` and `to` (bytes) until it returns false. */
async function scanLines(handle: FileHandle, from: number, to: number, onLine: (line: string, start: number, end: number) => boolean): Promise<void> {
  let position = from;
  let carry: Buffer = Buffer.alloc(0);
  let carryStart = from;
  while (position < to) {
    const buffer = Buffer.allocUnsafe(Math.min(CHUNK, to - position));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
    if (bytesRead === 0) return;
    position += bytesRead;
    const data = carry.length === 0 ? buffer.subarray(0, bytesRead) : Buffer.concat([carry, buffer.subarray(0, bytesRead)]);
    let start = 0;
    for (let nl = data.indexOf(10, start); nl !== -1; nl = data.indexOf(10, start)) {
      if (!onLine(data.toString('utf8', start, nl), carryStart + start, carryStart + nl + 1)) return;
      start = nl + 1;
    }
    carry = Buffer.from(data.subarray(start));
    carryStart += start;
  }
}

function parseLine(line: string, file: string, seq: number): QueueEvent {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new DroverError('state-corrupt', `${file}: event ${seq}: not a valid audit event`);
  }
  const parsed = stateSchemas().auditEventSchema.safeParse(value);
  if (!parsed.success) throw new DroverError('state-corrupt', `${file}: event ${seq}: ${parsed.error.issues[0]?.path.join('.') ?? '$'}: ${parsed.error.issues[0]?.message ?? 'not a valid audit event'}`);
  return parsed.data as unknown as QueueEvent;
}
