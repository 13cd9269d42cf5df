import { open } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { stateWriteError } from '../errors/state-write-error.js';
import { CREATE_NEW_FLAGS, nodeStateFs, READ_FLAGS, type StateFs } from './state-fs.js';
import { assertRealDirectory, linkRefused } from './state-dir-guard.js';

/** Directories already created and checked (lstat: a real directory), so each write does not repeat it. */
const checkedDirs = new Set<string>();

/** Forgets that `dir` was checked, so the next `ensureStateDir` creates it again (it was moved aside). */
export function forgetStateDir(dir: string): void {
  checkedDirs.delete(dir);
}

/**
 * Creates `dir` (one level, inside an existing state directory) and checks it is a real
 * directory, not a link a repository shipped.
 */
export async function ensureStateDir(dir: string, fs: StateFs = nodeStateFs): Promise<void> {
  if (checkedDirs.has(dir)) return;
  try {
    await fs.mkdir(dir);
  } catch (error) {
    throw stateWriteError(dir, error, 'could not create the directory');
  }
  await assertRealDirectory(dir);
  checkedDirs.add(dir);
}

/**
 * Writes a file of the state directory atomically: a fresh temp file beside it (O_EXCL and
 * O_NOFOLLOW: never through a link), then a rename over the target (which replaces a link
 * rather than writing through it). With `sync` (the default) the data is fsync'd before the
 * rename. Every failure is a `StateWriteError` naming `file`, and no temp file is left behind.
 */
export async function writeStateFile(file: string, data: string | Uint8Array, options: { fs?: StateFs; sync?: boolean; mode?: number } = {}): Promise<void> {
  try {
    await writeOnce(file, data, options);
  } catch (error) {
    // The directory was checked earlier but has gone since (a run moved aside): create it again.
    if ((error as { cause?: NodeJS.ErrnoException }).cause?.code !== 'ENOENT' || !checkedDirs.delete(dirname(file))) throw error;
    await writeOnce(file, data, options);
  }
}

async function writeOnce(file: string, data: string | Uint8Array, options: { fs?: StateFs; sync?: boolean; mode?: number }): Promise<void> {
  const fs = options.fs ?? nodeStateFs;
  await ensureStateDir(dirname(file), fs);
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  try {
    const handle = await fs.open(temp, CREATE_NEW_FLAGS, options.mode ?? 0o644);
    try {
      await handle.write(data);
      if (options.sync !== false) await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp).catch(() => undefined);
    throw stateWriteError(file, error);
  }
}

/** Reads a state file without following a link; `undefined` when it does not exist. */
export async function readStateFile(file: string): Promise<string | undefined> {
  let handle;
  try {
    handle = await open(file, READ_FLAGS);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP') throw linkRefused(file);
    throw error;
  }
  try {
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

