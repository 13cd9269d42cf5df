import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DroverError, isDroverError } from '../../errors/drover-error.js';
import { stateWriteError } from '../../errors/state-write-error.js';
import type { QueueEvent } from '../../queue/events.js';
import type { Handoff } from '../../queue/handoff.js';
import type { QueueState } from '../../queue/queue-state.js';
import { toSnapshot, type QueueSnapshot } from '../../queue/snapshot.js';
import { parseWithSchema } from '../../util/parse-with-schema.js';
import { statePaths, type StatePaths } from '../../util/state-paths.js';
import { Replay } from '../recover-state.js';
import { nodeStateFs, type StateFs } from '../../util/state-fs.js';
import type { Store, StoredRun } from '../store.js';
import { AuditLogWriter, readAuditLog } from './audit-log.js';
import { assertNoLinks } from '../../util/state-dir-guard.js';
import { acquireStateLock } from './state-lock.js';
import { HandoffCopies, type HandoffCopyFs } from './handoff-copies.js';
import { stateSchemas } from './state-schemas.js';
import { ensureStateDir, forgetStateDir, readStateFile, writeStateFile } from '../../util/write-state-file.js';

export interface FileStoreOptions {
  /** Write a snapshot after this many events at least (it grows with the queue, keeping snapshots O(1) amortised). */
  readonly snapshotEvery?: number;
  /** Also write a snapshot when this long has passed since the last one, so `drover status` on a live run is fresh. */
  readonly snapshotIntervalMs?: number;
  /** The I/O boundary for every write (tests inject failures here). */
  readonly fs?: StateFs;
  /** The synchronous calls that write the `handoffs/<id>.json` copies (tests inject failures here). */
  readonly handoffFs?: HandoffCopyFs;
}

/** Above this many tasks `queue.json` is written compact: pretty-printing 50k tasks triples its size. */
const PRETTY_MAX_TASKS = 1000;
/** A time-triggered snapshot may take at most 1/this of the wall clock. */
const SNAPSHOT_DUTY = 10;

/**
 * The embedded store: `audit.jsonl` (append + fdatasync before acknowledging) and `queue.json`
 * (a coalesced snapshot, atomically replaced), plus `handoffs/<id>.json`.
 *
 * A snapshot costs O(tasks), so it is written after at least max(snapshotEvery, tasks) events,
 * or when `snapshotIntervalMs` has passed — stretched to ten times the last snapshot's cost, so
 * on a large queue snapshots never take more than a tenth of the time — and never while another
 * is being written, so at most one serialised snapshot is in memory. It is only taken when the
 * in-memory state has nothing in flight, so it never shows an event the log does not hold.
 *
 * The handoff copies in `handoffs/` are written in the background and not fsync'd: the
 * `task-completed` event in the log already holds each handoff durably, and `open()` rewrites
 * any copy a crash lost or cut short (see `HandoffCopies`). A failed background write (a full
 * disk) fails the next `append`, so the run stops cleanly instead of running on without its files.
 */
export class FileStore implements Store {
  readonly paths: StatePaths;
  readonly #snapshotEvery: number;
  readonly #snapshotIntervalMs: number;
  readonly #fs: StateFs;
  #log: AuditLogWriter | undefined;
  #release: (() => Promise<void>) | undefined;
  #durableSeq = 0;
  #snapshotSeq = 0;
  #lastSnapshotAt = 0;
  #snapshotCostMs = 0;
  #snapshotWrite: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #latest: QueueState | undefined;
  readonly #handoffCopies: HandoffCopies;
  /** The first failed background write: the run must stop on it. */
  #failure: DroverError | undefined;

  constructor(root: string, options: FileStoreOptions = {}) {
    this.paths = statePaths(root);
    this.#snapshotEvery = options.snapshotEvery ?? 256;
    this.#snapshotIntervalMs = options.snapshotIntervalMs ?? 1000;
    this.#fs = options.fs ?? nodeStateFs;
    // The folder may have been moved aside (`--fresh`) since it was last checked: forget the check, so it is created again.
    this.#handoffCopies = new HandoffCopies((taskId) => this.paths.handoff(taskId), () => {
      forgetStateDir(this.paths.handoffs);
      return ensureStateDir(this.paths.handoffs, this.#fs);
    }, { fs: options.handoffFs });
  }

  async open(): Promise<StoredRun | undefined> {
    // Before anything is written: a state dir that holds a link would write outside itself.
    await assertNoLinks(this.paths.root);
    try {
      await mkdir(this.paths.root, { recursive: true });
    } catch (error) {
      // A recursive mkdir on a read-only file system reports ENOENT; a plain one says EROFS.
      const real = await mkdir(this.paths.root).then(() => undefined, (plain: unknown) => plain);
      if (real === undefined || (real as NodeJS.ErrnoException).code === 'EEXIST') throw stateWriteError(this.paths.root, error, 'could not create the state directory');
      throw stateWriteError(this.paths.root, (real as NodeJS.ErrnoException).code === 'ENOENT' ? error : real, 'could not create the state directory');
    }
    try {
      this.#release = await acquireStateLock(this.paths.lock);
    } catch (error) {
      throw isDroverError(error) ? error : stateWriteError(this.paths.lock, error, 'could not take the lock');
    }
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
    return this.#recover(false);
  }

  async #load(): Promise<StoredRun | undefined> {
    const stored = await this.#recover(true);
    this.#log = new AuditLogWriter(this.paths.audit, this.#fs);
    if (stored !== undefined) {
      this.#durableSeq = stored.state.meta.seq;
      await this.#restoreHandoffFiles(stored.state);
    }
    return stored;
  }

  /** Streams the log onto the snapshot (or from scratch when the snapshot raced a crash). */
  async #recover(repair: boolean): Promise<StoredRun | undefined> {
    const warnings: string[] = [];
    const snapshot = await this.#readSnapshot(warnings);
    let replay = new Replay(snapshot);
    const log = await readAuditLog(this.paths.audit, (event) => replay.push(event), { repair, fs: this.#fs });
    if (log.count === 0) return undefined;
    if (log.tornLine !== undefined) warnings.push(`${this.paths.audit}: ignored a torn last line left by a crash (${log.tornLine.length} bytes)`);
    let state = replay.finish();
    if (state === undefined) {
      // The snapshot claims more than the log holds: the log alone rebuilds the run.
      replay = new Replay(undefined);
      await readAuditLog(this.paths.audit, (event) => replay.push(event), { repair: false, fs: this.#fs });
      state = replay.finish()!;
    }
    // A snapshot ahead of the log was ignored; the next snapshot must replace it.
    this.#snapshotSeq = snapshot !== undefined && snapshot.seq <= state.meta.seq ? snapshot.seq : 0;
    return { state, warnings };
  }

  async #readSnapshot(warnings: string[]): Promise<QueueSnapshot | undefined> {
    let text: string | undefined;
    try {
      text = await readStateFile(this.paths.queue);
    } catch (error) {
      if (isDroverError(error)) throw error;
      // The snapshot is only a shortcut; the log alone rebuilds the run.
      warnings.push(`${this.paths.queue}: could not be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); recovered the run from audit.jsonl alone`);
      return undefined;
    }
    if (text === undefined) return undefined;
    try {
      return parseWithSchema(stateSchemas().snapshotSchema, JSON.parse(text), this.paths.queue) as unknown as QueueSnapshot;
    } catch {
      return undefined;
    }
  }

  /** A crash between a completion and its handoff copy leaves handoffs/<id>.json missing or cut short: write it from the log. */
  async #restoreHandoffFiles(state: QueueState): Promise<void> {
    if (state.handoffs.size === 0) return;
    const present = new Set(await readdir(this.paths.handoffs).catch(() => [] as string[]));
    for (const handoff of state.handoffs.values()) {
      if (!present.has(`${handoff.taskId}.json`) || this.#handoffCopies.needsRepair(handoff)) this.#handoffCopies.add(handoff);
    }
    await this.#handoffCopies.settled();
    if (this.#handoffCopies.failure !== undefined) throw this.#handoffCopies.failure;
  }

  async append(events: readonly QueueEvent[], state: QueueState): Promise<void> {
    if (this.#log === undefined) throw new DroverError('internal', 'store is not open');
    if (this.#failure !== undefined) throw this.#failure;
    if (this.#handoffCopies.failure !== undefined) throw this.#handoffCopies.failure;
    if (events.length === 0) return;
    await this.#log.append(events);
    this.#durableSeq = Math.max(this.#durableSeq, events.at(-1)!.seq);
    this.#latest = state;
    this.#maybeSnapshot(state);
  }

  #maybeSnapshot(state: QueueState): void {
    const interval = Math.max(this.#snapshotIntervalMs, SNAPSHOT_DUTY * this.#snapshotCostMs);
    const due = this.#durableSeq - this.#snapshotSeq >= Math.max(this.#snapshotEvery, state.tasks.size) || Date.now() - this.#lastSnapshotAt >= interval;
    if (due && state.meta.seq === this.#durableSeq && this.#snapshotWrite === undefined) {
      this.#writeSnapshot(state);
      return;
    }
    if (this.#timer === undefined && this.#durableSeq > this.#snapshotSeq) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        const latest = this.#latest;
        if (latest === undefined || latest.meta.seq !== this.#durableSeq) return;
        if (this.#snapshotWrite === undefined) this.#writeSnapshot(latest);
        else this.#maybeSnapshot(latest);
      }, interval);
      this.#timer.unref();
    }
  }

  /** Serialises now (the state is consistent at this instant) and writes in the background; one write at a time. */
  #writeSnapshot(state: QueueState): void {
    const seq = state.meta.seq;
    if (seq <= this.#snapshotSeq) return;
    const started = performance.now();
    const snapshot = toSnapshot(state);
    const text = `${state.tasks.size <= PRETTY_MAX_TASKS ? JSON.stringify(snapshot, null, 2) : JSON.stringify(snapshot)}\n`;
    this.#snapshotSeq = seq;
    this.#lastSnapshotAt = Date.now();
    this.#snapshotWrite = writeStateFile(this.paths.queue, text, { fs: this.#fs })
      .catch((error: unknown) => {
        this.#failure ??= stateWriteError(this.paths.queue, error);
      })
      .finally(() => {
        this.#snapshotCostMs = performance.now() - started;
        this.#snapshotWrite = undefined;
      });
  }

  writeHandoff(handoff: Handoff): Promise<void> {
    this.#handoffCopies.add(handoff);
    return Promise.resolve();
  }

  async readHandoff(taskId: string): Promise<Handoff | undefined> {
    if (this.#handoffCopies.isPending(taskId)) await this.#handoffCopies.settled();
    let text: string | undefined;
    try {
      text = await readStateFile(this.paths.handoff(taskId));
    } catch {
      return undefined;
    }
    if (text === undefined) return undefined;
    try {
      return parseWithSchema(stateSchemas().handoffSchema, JSON.parse(text), this.paths.handoff(taskId)) as unknown as Handoff;
    } catch {
      return undefined;
    }
  }

  async archive(): Promise<string | undefined> {
    await this.#settleBackground();
    const entries = (await readdir(this.paths.root).catch(() => [] as string[])).filter((name) => name !== 'lock' && name !== 'archive');
    if (entries.length === 0) return undefined;
    const target = join(this.paths.archive, new Date().toISOString().replace(/[:.]/g, '-'));
    try {
      await ensureStateDir(this.paths.archive, this.#fs);
      await ensureStateDir(target, this.#fs);
      for (const name of entries) await this.#fs.rename(join(this.paths.root, name), join(target, name));
    } catch (error) {
      throw stateWriteError(target, error, 'could not move the earlier run aside');
    }
    this.#durableSeq = 0;
    this.#snapshotSeq = 0;
    await this.#log?.close();
    this.#log = new AuditLogWriter(this.paths.audit, this.#fs);
    return target;
  }

  /**
   * Writes the final snapshot, waits for background writes and releases the lock — always, even
   * when a write failed; then rethrows the first failure (a `StateWriteError`), if any.
   */
  async close(state?: QueueState): Promise<void> {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    try {
      await this.#log?.close();
      await this.#settleBackground();
      if (this.#failure === undefined && this.#log?.failure === undefined && state !== undefined && state.meta.seq > 0 && state.meta.seq === this.#durableSeq) {
        this.#writeSnapshot(state);
        await this.#snapshotWrite;
      }
    } finally {
      this.#log = undefined;
      await this.#releaseLock();
    }
    if (this.#failure !== undefined) {
      const failure = this.#failure;
      this.#failure = undefined;
      throw failure;
    }
  }

  async #settleBackground(): Promise<void> {
    await this.#snapshotWrite;
    await this.#handoffCopies.settled();
    this.#failure ??= this.#handoffCopies.failure;
  }

  async #releaseLock(): Promise<void> {
    const release = this.#release;
    this.#release = undefined;
    await release?.();
  }
}
