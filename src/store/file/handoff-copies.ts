import { closeSync, lstatSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { DroverError } from '../../errors/drover-error.js';
import { stateWriteError } from '../../errors/state-write-error.js';
import type { Handoff } from '../../queue/handoff.js';
import { linkRefused } from '../../util/state-dir-guard.js';
import { CREATE_NEW_FLAGS } from '../../util/state-fs.js';

/** The few synchronous file calls the copies make (tests inject failures here). */
export interface HandoffCopyFs {
  open(path: string, flags: number, mode: number): number;
  write(fd: number, text: string): void;
  close(fd: number): void;
  rename(from: string, to: string): void;
  unlink(path: string): void;
  /** The size of `path` without following a link; `undefined` when it does not exist. */
  size(path: string): number | undefined;
}

export const nodeHandoffCopyFs: HandoffCopyFs = {
  open: (path, flags, mode) => openSync(path, flags, mode),
  write: (fd, text) => void writeSync(fd, text),
  close: (fd) => closeSync(fd),
  rename: (from, to) => renameSync(from, to),
  unlink: (path) => unlinkSync(path),
  size: (path) => {
    try {
      return lstatSync(path).size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  },
};

/** How long a finished task's copy may wait for others to join its batch. */
export const BATCH_DELAY_MS = 200;
/** Copies queued at most: a larger batch is written at once. */
const MAX_PENDING = 1024;

/** The text of `handoffs/<id>.json`. */
export function handoffText(handoff: Handoff): string {
  return `${JSON.stringify(handoff, null, 2)}\n`;
}

/**
 * The readable copies `handoffs/<id>.json` (issue 12). The `task-completed` event already holds
 * each handoff durably, so a copy is neither fsync'd nor on the critical path, and creating files
 * is what it costs: on the 2-core VM drover is measured on, creating a file costs 0.2–0.4 ms of
 * kernel time, more than the whole per-task share of the log's floor. So a copy is created
 * directly at its final path with O_EXCL (one directory operation, three system calls, instead of
 * a temp file and a rename), synchronously (no promise or thread-pool hop per call), and in
 * batches: at most `BATCH_DELAY_MS` after a completion (or at once when a reader asks for one, the
 * store closes, or `MAX_PENDING` are queued). Batching matters more than it seems: every
 * fdatasync of the log commits the file system's journal, and a file created since the last
 * commit rides along; creations grouped between commits cost the kernel a fraction as much.
 *
 * A path that already holds something (a copy to repair on recovery, a link planted during the
 * run) is replaced atomically by a temp file and a rename, never written through. A copy that a
 * crash cut short is found by its size when the store opens (`needsRepair`) and written again.
 * The first failure (a full disk) is kept: pending copies are dropped, and the store reports it
 * on the next append, so the run stops cleanly; recovery writes the missing copies.
 */
export class HandoffCopies {
  readonly #fileOf: (taskId: string) => string;
  readonly #fs: HandoffCopyFs;
  readonly #prepareDir: () => Promise<void>;
  readonly #pending = new Map<string, string>();
  readonly #delayMs: number;
  #flushing: Promise<void> | undefined;
  /** Ends the wait of the pending flush at once (a reader, `close`, or a full batch). */
  #kick: (() => void) | undefined;
  #dirReady = false;
  #failure: DroverError | undefined;

  /** `prepareDir` creates `handoffs/` and checks it is a real directory; it is called again if the folder disappears (a run moved aside). */
  constructor(fileOf: (taskId: string) => string, prepareDir: () => Promise<void>, options: { fs?: HandoffCopyFs | undefined; delayMs?: number | undefined } = {}) {
    this.#fileOf = fileOf;
    this.#prepareDir = prepareDir;
    this.#fs = options.fs ?? nodeHandoffCopyFs;
    this.#delayMs = options.delayMs ?? BATCH_DELAY_MS;
  }

  get failure(): DroverError | undefined {
    return this.#failure;
  }

  /** Queues the copy of `handoff` (a later copy of the same task replaces a pending one). */
  add(handoff: Handoff): void {
    if (this.#failure !== undefined) return;
    this.#pending.set(handoff.taskId, handoffText(handoff));
    this.#flushing ??= this.#flush();
    if (this.#pending.size >= MAX_PENDING) this.#kick?.();
  }

  /** Whether the copy of `taskId` is not on disk yet. */
  isPending(taskId: string): boolean {
    return this.#pending.has(taskId);
  }

  /** Writes what is queued now; resolves once every queued copy is written or dropped by a failure. */
  async settled(): Promise<void> {
    while (this.#flushing !== undefined) {
      this.#kick?.();
      await this.#flushing;
    }
  }

  /** A copy is missing or not the whole text (a crash between its creation and its write). */
  needsRepair(handoff: Handoff): boolean {
    return this.#fs.size(this.#fileOf(handoff.taskId)) !== Buffer.byteLength(handoffText(handoff));
  }

  async #flush(): Promise<void> {
    try {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.#delayMs);
        this.#kick = () => {
          clearTimeout(timer);
          resolve();
        };
        if (this.#pending.size >= MAX_PENDING) this.#kick();
      });
      this.#kick = undefined;
      while (this.#pending.size > 0 && this.#failure === undefined) {
        if (!this.#dirReady) {
          await this.#prepareDir();
          this.#dirReady = true;
        }
        this.#writePending();
      }
    } catch (error) {
      this.#failure ??= error as DroverError;
    } finally {
      if (this.#failure !== undefined) this.#pending.clear();
      this.#flushing = undefined;
    }
  }

  /** Writes what is queued; stops early (keeping the rest) when the folder has gone. */
  #writePending(): void {
    for (const [taskId, text] of this.#pending) {
      const file = this.#fileOf(taskId);
      try {
        this.#write(file, text);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT' && this.#dirReady) {
          this.#dirReady = false;
          return;
        }
        throw (error as NodeJS.ErrnoException).code === 'ELOOP' ? linkRefused(file) : stateWriteError(file, error);
      }
      this.#pending.delete(taskId);
    }
  }

  #write(file: string, text: string): void {
    let fd: number;
    try {
      fd = this.#fs.open(file, CREATE_NEW_FLAGS, 0o644);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      this.#replace(file, text);
      return;
    }
    try {
      this.#fs.write(fd, text);
    } catch (error) {
      this.#fs.close(fd);
      this.#unlinkQuietly(file);
      throw error;
    }
    this.#fs.close(fd);
  }

  /** Something is at `file` already: write a temp file beside it and rename it over (which replaces a link rather than following it). */
  #replace(file: string, text: string): void {
    const temp = join(dirname(file), `.${basename(file)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
    try {
      const fd = this.#fs.open(temp, CREATE_NEW_FLAGS, 0o644);
      try {
        this.#fs.write(fd, text);
      } finally {
        this.#fs.close(fd);
      }
      this.#fs.rename(temp, file);
    } catch (error) {
      this.#unlinkQuietly(temp);
      throw error;
    }
  }

  #unlinkQuietly(path: string): void {
    try {
      this.#fs.unlink(path);
    } catch {
      // Already gone, or the disk refuses even that: recovery rewrites the copy from the log.
    }
  }
}
