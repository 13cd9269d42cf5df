import type { Dirent } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DroverError } from '../errors/drover-error.js';
import { stateWriteError } from '../errors/state-write-error.js';

/**
 * A repository can ship its own `.drover/`. If any entry in it is a symbolic link
 * (`audit.jsonl -> ~/.bashrc`, `mcp -> /tmp/shared`), writing the run would truncate or fill a
 * file outside the state directory, or leak the MCP bearer tokens. So a state directory that holds
 * a link anywhere (the directory itself included) is refused before anything is written; the
 * writers also open with O_NOFOLLOW and check directories with lstat, so a link planted later is
 * not followed either. `archive/` is checked but not walked: drover only renames into it.
 */
export async function assertNoLinks(root: string): Promise<void> {
  await assertRealDirectory(root, { mayBeMissing: true });
  await walk(root, true);
}

async function walk(dir: string, isRoot: boolean): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw stateWriteError(dir, error, 'could not read');
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isSymbolicLink()) throw linkRefused(path);
    if (entry.isDirectory() && !(isRoot && entry.name === 'archive')) await walk(path, false);
  }
}

/** Throws unless `dir` is a real directory (not a link to one); with `mayBeMissing`, absence is fine. */
export async function assertRealDirectory(dir: string, options: { mayBeMissing?: boolean } = {}): Promise<void> {
  let stats;
  try {
    stats = await lstat(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && options.mayBeMissing === true) return;
    throw stateWriteError(dir, error, 'could not read');
  }
  if (stats.isSymbolicLink()) throw linkRefused(dir);
  if (!stats.isDirectory()) throw new DroverError('state-corrupt', `${dir}: expected a directory of drover's state, found a file`);
}

export function linkRefused(path: string): DroverError {
  return new DroverError('state-corrupt', `${path}: is a symbolic link; drover never follows links in its state directory (remove it, or pass another --state-dir)`);
}
