import { closeSync, constants, lstatSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { processIdentity } from './process-identity.js';

/**
 * Process groups of agent commands still running. Agents run in their own group (so a timeout
 * can kill the whole tree), which also means neither the terminal's Ctrl-C nor drover's own
 * death reaches them. So each group is known twice: in memory, for a forced exit to kill
 * synchronously, and on disk (`<stateDir>/agent-groups/<pgid>.json`, with the leader's start
 * time), so that a drover killed with SIGKILL leaves a record the next run uses to kill the
 * orphans before any task is retried (see `reapOrphanedProcessGroups`).
 */
const groups = new Map<number, string | undefined>();

/**
 * Records a live group; the returned function forgets it (call it once the group is gone).
 * The record is written synchronously, right after the spawn, so the window in which a
 * SIGKILLed drover leaves an agent no one knows about is as short as it can be.
 */
export function trackProcessGroup(pgid: number, registryDir?: string): () => void {
  let file: string | undefined;
  if (registryDir !== undefined) {
    const identity = processIdentity(pgid);
    file = join(registryDir, `${pgid}.json`);
    try {
      // Never through a link: an agent may have replaced the folder or planted a file in it.
      mkdirSync(registryDir, { recursive: true });
      if (!lstatSync(registryDir).isDirectory()) throw new Error(`${registryDir} is not a directory`);
      const fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | (constants.O_NOFOLLOW ?? 0), 0o600);
      try {
        writeSync(fd, `${JSON.stringify({ pgid, startTime: identity?.startTime ?? null, bootId: identity?.bootId ?? null, droverPid: process.pid })}\n`);
      } finally {
        closeSync(fd);
      }
    } catch {
      file = undefined; // A registry write failing must not fail the attempt: the group is still killed on a normal exit.
    }
  }
  groups.set(pgid, file);
  return () => {
    groups.delete(pgid);
    if (file !== undefined) rmSync(file, { force: true });
  };
}

/** SIGKILLs every live agent process group. Safe to call from an exit handler. */
export function killLiveProcessGroups(): void {
  for (const [pgid, file] of groups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // Already gone.
    }
    if (file !== undefined) rmSync(file, { force: true });
  }
  groups.clear();
}
