import { open, readFile, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { DroverError } from '../../errors/drover-error.js';

interface LockInfo {
  readonly pid: number;
  readonly host: string;
  readonly startedAt: string;
}

/**
 * An exclusive lock on a state directory: a `lock` file created with O_EXCL that names its
 * holder. A lock whose holder process is gone (same host, pid not alive) is stale and taken
 * over, so a crashed run never needs manual clean-up.
 */
export async function acquireStateLock(file: string): Promise<() => Promise<void>> {
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const handle = await open(file, 'wx');
      const info: LockInfo = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
      await handle.writeFile(`${JSON.stringify(info)}\n`);
      await handle.close();
      return () => rm(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await readHolder(file);
    if (holder !== undefined && isAlive(holder)) {
      throw new DroverError('state-locked', `${file}: the state directory is in use by another drover run (pid ${holder.pid} on ${holder.host}, since ${holder.startedAt})`);
    }
    await rm(file, { force: true });
  }
  throw new DroverError('state-locked', `${file}: could not take the lock`);
}

async function readHolder(file: string): Promise<LockInfo | undefined> {
  try {
    const value = JSON.parse(await readFile(file, 'utf8')) as Partial<LockInfo>;
    if (typeof value.pid !== 'number' || typeof value.host !== 'string') return undefined;
    return { pid: value.pid, host: value.host, startedAt: String(value.startedAt ?? 'unknown') };
  } catch {
    return undefined;
  }
}

function isAlive(holder: LockInfo): boolean {
  // A lock from another host cannot be checked; treat it as held.
  if (holder.host !== hostname()) return true;
  if (holder.pid === process.pid) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
