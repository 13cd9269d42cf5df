import { readFileSync } from 'node:fs';
import { link, open, readFile, rm, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { DroverError } from '../../errors/drover-error.js';
import { statePaths } from '../../util/state-paths.js';

interface LockInfo {
  readonly pid: number;
  readonly host: string;
  /** Linux boot id: a pid from an earlier boot (a restarted container) is never alive. */
  readonly boot?: string;
  readonly startedAt: string;
}

/** How long an unreadable lock is presumed to be mid-takeover rather than abandoned. */
const FRESH_MS = 5000;

/**
 * An exclusive lock on a state directory: a `lock` file naming its holder. It is created
 * atomically with its content (written to a temp file, then hard-linked into place, which fails
 * if a lock exists), so a reader never sees a half-written lock. A lock whose holder is gone is
 * taken over, under a second `lock.takeover` file created with O_EXCL, so that two runners that
 * both find the same stale lock cannot both take it.
 */
export async function acquireStateLock(file: string): Promise<() => Promise<void>> {
  const info: LockInfo = { pid: process.pid, host: hostname(), ...bootId(), startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 20; attempt += 1) {
    if (await tryCreate(file, info)) return () => rm(file, { force: true });
    const holder = await readHolder(file);
    if (holder === 'missing') continue;
    if (holder === 'unreadable' ? await isFresh(file) : isAlive(holder)) {
      const who = holder === 'unreadable' ? 'another drover run' : `another drover run (pid ${holder.pid} on ${holder.host}, since ${holder.startedAt})`;
      throw new DroverError('state-locked', `${file}: the state directory is in use by ${who}`);
    }
    await takeOverStale(file, holder);
  }
  throw new DroverError('state-locked', `${file}: could not take the lock (other runners keep competing for it)`);
}

async function tryCreate(file: string, info: LockInfo): Promise<boolean> {
  const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  await writeSynced(temp, `${JSON.stringify(info)}\n`);
  try {
    await link(temp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await rm(temp, { force: true });
  }
}

/** Removes a stale lock, but only while holding `lock.takeover`, and only if it is still the same stale lock. */
async function takeOverStale(file: string, stale: LockInfo | 'unreadable'): Promise<void> {
  const guard = `${file}.takeover`;
  let handle;
  try {
    handle = await open(guard, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // Another runner is taking over; a guard left by a crash mid-takeover expires.
    if (!(await isFresh(guard))) await rm(guard, { force: true });
    await new Promise((resolve) => setTimeout(resolve, 20));
    return;
  }
  try {
    const current = await readHolder(file);
    const same = current === 'unreadable' ? stale === 'unreadable' : current !== 'missing' && stale !== 'unreadable' && current.pid === stale.pid && current.startedAt === stale.startedAt;
    if (same) await unlink(file).catch(() => undefined);
  } finally {
    await handle.close();
    await rm(guard, { force: true });
  }
}

async function readHolder(file: string): Promise<LockInfo | 'missing' | 'unreadable'> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
  try {
    const value = JSON.parse(text) as Partial<LockInfo>;
    if (typeof value.pid !== 'number' || typeof value.host !== 'string') return 'unreadable';
    return { pid: value.pid, host: value.host, ...(typeof value.boot === 'string' ? { boot: value.boot } : {}), startedAt: String(value.startedAt ?? 'unknown') };
  } catch {
    return 'unreadable';
  }
}

function isAlive(holder: LockInfo): boolean {
  // A lock from another host cannot be checked; treat it as held.
  if (holder.host !== hostname()) return true;
  const boot = bootId().boot;
  if (holder.boot !== undefined && boot !== undefined && holder.boot !== boot) return false;
  // Our own pid: this process holds it, unless the lock predates this process (a pid reused after a restart).
  if (holder.pid === process.pid) return Date.parse(holder.startedAt) >= performance.timeOrigin - 1000;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function isFresh(file: string): Promise<boolean> {
  try {
    return Date.now() - (await stat(file)).mtimeMs < FRESH_MS;
  } catch {
    return false;
  }
}

async function writeSynced(file: string, text: string): Promise<void> {
  const handle = await open(file, 'w');
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

let cachedBoot: { boot?: string } | undefined;
function bootId(): { boot?: string } {
  if (cachedBoot === undefined) {
    try {
      cachedBoot = { boot: readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() };
    } catch {
      cachedBoot = {};
    }
  }
  return cachedBoot;
}

/**
 * Whether a live process holds the lock, for `drover status`, which reads a run without taking
 * it: a run whose status is `running` but whose lock is gone or held by a dead process has died.
 * When the lock cannot be read, the run is presumed live (status never calls a live run dead).
 */
export async function isStateLockHeld(file: string): Promise<boolean> {
  try {
    const holder = await readHolder(file);
    if (holder === 'missing') return false;
    return holder === 'unreadable' ? await isFresh(file) : isAlive(holder);
  } catch {
    return true;
  }
}

/** `isStateLockHeld` for the lock of the state dir `stateDir`: whether a live drover holds it. */
export function isStateDirLocked(stateDir: string): Promise<boolean> {
  return isStateLockHeld(statePaths(stateDir).lock);
}
