import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { DroverError } from '../../errors/drover-error.js';
import type { QueueEvent } from '../../queue/events.js';
import type { Handoff } from '../../queue/handoff.js';
import type { QueueState } from '../../queue/queue-state.js';
import { toSnapshot, type QueueSnapshot } from '../../queue/snapshot.js';
import { parseWithSchema } from '../../util/parse-with-schema.js';
import { statePaths, type StatePaths } from '../../util/state-paths.js';
import { writeFileAtomic } from '../../util/write-file-atomic.js';
import { recoverState } from '../recover-state.js';
import type { Store, StoredRun } from '../store.js';
import { AuditLogWriter, readAuditLog } from './audit-log.js';
import { acquireStateLock } from './state-lock.js';
import { handoffSchema, snapshotSchema } from './state-schemas.js';

export interface FileStoreOptions {
  /** Write a snapshot after this many events at least (it grows with the queue, keeping snapshots O(1) amortised). */
  readonly snapshotEvery?: number;
  /** Also write a snapshot when this long has passed since the last one, so `drover status` on a live run is fresh. */
  readonly snapshotIntervalMs?: number;
}

/**
 * The embedded store: `audit.jsonl` (append + fdatasync before acknowledging) and `queue.json`
 * (a coalesced snapshot, atomically replaced), plus `handoffs/<id>.json`.
 *
 * A snapshot costs O(tasks), so it is written after at least max(snapshotEvery, tasks) events
 * or `snapshotIntervalMs`, whichever comes first — never on every transition — and only when
 * the in-memory state has nothing in flight, so it never shows an event the log does not hold.
 */
export class FileStore implements Store {
  readonly paths: StatePaths;
  readonly #snapshotEvery: number;
  readonly #snapshotIntervalMs: number;
  #log: AuditLogWriter | undefined;
  #release: (() => Promise<void>) | undefined;
  #durableSeq = 0;
  #snapshotSeq = 0;
  #lastSnapshotAt = 0;
  #snapshotWrite: Promise<void> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;
  #latest: QueueState | undefined;

  constructor(root: string, options: FileStoreOptions = {}) {
    this.paths = statePaths(root);
    this.#snapshotEvery = options.snapshotEvery ?? 256;
    this.#snapshotIntervalMs = options.snapshotIntervalMs ?? 1000;
  }

  async open(): Promise<StoredRun | undefined> {
    await mkdir(this.paths.root, { recursive: true });
    this.#release = await acquireStateLock(this.paths.lock);
    try {
      return await this.#load();
    } catch (error) {
      await this.#releaseLock();
      throw error;
    }
  }

  /**
   * Reads the run without taking the lock or changing any file: for `drover status`, which may
   * look at a live or crashed run.
   */
  async read(): Promise<StoredRun | undefined> {
    const log = await readAuditLog(this.paths.audit, { repair: false });
    return this.#recover(log);
  }

  async #load(): Promise<StoredRun | undefined> {
    const log = await readAuditLog(this.paths.audit);
    this.#log = new AuditLogWriter(this.paths.audit);
    const stored = await this.#recover(log);
    if (stored !== undefined) {
      this.#durableSeq = stored.state.meta.seq;
      await this.#restoreHandoffFiles(stored.state);
    }
    return stored;
  }

  async #recover(log: Awaited<ReturnType<typeof readAuditLog>>): Promise<StoredRun | undefined> {
    const snapshot = await this.#readSnapshot();
    if (log.events.length === 0) return undefined;
    const warnings: string[] = [];
    if (log.tornLine !== undefined) warnings.push(`${this.paths.audit}: ignored a torn last line left by a crash (${log.tornLine.length} bytes)`);
    const state = recoverState(snapshot, log.events);
    // A snapshot ahead of the log was ignored; the next snapshot must replace it.
    this.#snapshotSeq = snapshot !== undefined && snapshot.seq <= state.meta.seq ? snapshot.seq : 0;
    return { state, warnings };
  }

  async #readSnapshot(): Promise<QueueSnapshot | undefined> {
    let text: string;
    try {
      text = await readFile(this.paths.queue, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      return parseWithSchema(snapshotSchema, JSON.parse(text), this.paths.queue) as unknown as QueueSnapshot;
    } catch {
      // The snapshot is only a shortcut; the log alone rebuilds the run.
      return undefined;
    }
  }

  /** A crash between a completion and its handoff copy leaves handoffs/<id>.json missing: write it from the log. */
  async #restoreHandoffFiles(state: QueueState): Promise<void> {
    for (const handoff of state.handoffs.values()) {
      if (!existsSync(this.paths.handoff(handoff.taskId))) await this.writeHandoff(handoff);
    }
  }

  async append(events: readonly QueueEvent[], state: QueueState): Promise<void> {
    if (this.#log === undefined) throw new DroverError('internal', 'store is not open');
    if (events.length === 0) return;
    await this.#log.append(events);
    this.#durableSeq = Math.max(this.#durableSeq, events.at(-1)!.seq);
    this.#latest = state;
    this.#maybeSnapshot(state);
  }

  #maybeSnapshot(state: QueueState): void {
    const due = this.#durableSeq - this.#snapshotSeq >= Math.max(this.#snapshotEvery, state.tasks.size) || Date.now() - this.#lastSnapshotAt >= this.#snapshotIntervalMs;
    if (due && state.meta.seq === this.#durableSeq) {
      this.#writeSnapshot(state);
      return;
    }
    if (this.#timer === undefined && this.#durableSeq > this.#snapshotSeq) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        if (this.#latest !== undefined && this.#latest.meta.seq === this.#durableSeq) this.#writeSnapshot(this.#latest);
      }, this.#snapshotIntervalMs);
      this.#timer.unref();
    }
  }

  /** Serialises now (the state is consistent at this instant) and writes in the background, one write at a time. */
  #writeSnapshot(state: QueueState): void {
    const seq = state.meta.seq;
    if (seq <= this.#snapshotSeq) return;
    const text = `${JSON.stringify(toSnapshot(state), null, 2)}\n`;
    this.#snapshotSeq = seq;
    this.#lastSnapshotAt = Date.now();
    this.#snapshotWrite = this.#snapshotWrite.then(() => writeFileAtomic(this.paths.queue, text));
  }

  async writeHandoff(handoff: Handoff): Promise<void> {
    await writeFileAtomic(this.paths.handoff(handoff.taskId), `${JSON.stringify(handoff, null, 2)}\n`);
  }

  async readHandoff(taskId: string): Promise<Handoff | undefined> {
    let text: string;
    try {
      text = await readFile(this.paths.handoff(taskId), 'utf8');
    } catch {
      return undefined;
    }
    try {
      return parseWithSchema(handoffSchema, JSON.parse(text), this.paths.handoff(taskId)) as unknown as Handoff;
    } catch {
      return undefined;
    }
  }

  async archive(): Promise<string | undefined> {
    const entries = (await readdir(this.paths.root).catch(() => [] as string[])).filter((name) => name !== 'lock' && name !== 'archive');
    if (entries.length === 0) return undefined;
    const target = join(this.paths.archive, new Date().toISOString().replace(/[:.]/g, '-'));
    await mkdir(target, { recursive: true });
    for (const name of entries) await rename(join(this.paths.root, name), join(target, name));
    this.#durableSeq = 0;
    this.#snapshotSeq = 0;
    await this.#log?.close();
    this.#log = new AuditLogWriter(this.paths.audit);
    return target;
  }

  async close(state?: QueueState): Promise<void> {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#log?.close();
    if (state !== undefined && state.meta.seq > 0 && state.meta.seq === this.#durableSeq) this.#writeSnapshot(state);
    await this.#snapshotWrite;
    this.#log = undefined;
    await this.#releaseLock();
  }

  async #releaseLock(): Promise<void> {
    const release = this.#release;
    this.#release = undefined;
    await release?.();
  }
}

