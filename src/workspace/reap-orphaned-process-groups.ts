import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { liveGroupMembers, readBootId, readProcessStat } from './process-identity.js';

interface GroupRecord {
  readonly pgid: number;
  readonly startTime: string | null;
  readonly bootId: string | null;
}

/** How long to wait for a SIGKILLed group to be gone before going on without it. */
const GONE_WITHIN_MS = 10_000;

/**
 * Kills the agent process groups a dead drover left running, from the records in
 * `registryDir`, and waits until they are gone: run it after taking the state-dir lock and
 * before any task is retried, so two copies of one task never run at once and an orphan's late
 * side effect never lands after its dependents ran.
 *
 * A group is killed only when it is provably the one recorded: same boot, and its leader has
 * the recorded start time (a reused pid has another), or the leader has exited while the rest of
 * its group lives (a pid stays reserved while its group exists). Without /proc (not Linux)
 * nothing can be proved, so nothing is killed. Returns the pgids killed.
 */
export async function reapOrphanedProcessGroups(registryDir: string): Promise<number[]> {
  let names: string[];
  try {
    names = await readdir(registryDir);
  } catch {
    return [];
  }
  const bootId = readBootId();
  const killed: number[] = [];
  for (const name of names.filter((entry) => entry.endsWith('.json'))) {
    const file = join(registryDir, name);
    const record = await readRecord(file);
    if (record !== undefined && bootId !== undefined && record.bootId === bootId && record.startTime !== null && isRecordedGroup(record)) {
      try {
        process.kill(-record.pgid, 'SIGKILL');
        killed.push(record.pgid);
      } catch {
        // Gone between the check and the kill.
      }
      const deadline = Date.now() + GONE_WITHIN_MS;
      while (liveGroupMembers(record.pgid).length > 0 && Date.now() < deadline) await sleep(10);
    }
    await rm(file, { force: true });
  }
  return killed;
}

function isRecordedGroup(record: GroupRecord): boolean {
  const leader = readProcessStat(record.pgid);
  if (leader !== undefined && leader.state !== 'Z' && leader.startTime !== record.startTime) return false;
  if (leader !== undefined && leader.state !== 'Z' && leader.pgrp !== record.pgid) return false;
  return liveGroupMembers(record.pgid).length > 0;
}

async function readRecord(file: string): Promise<GroupRecord | undefined> {
  try {
    const value = JSON.parse(await readFile(file, 'utf8')) as Partial<GroupRecord>;
    if (typeof value.pgid !== 'number' || !Number.isInteger(value.pgid) || value.pgid <= 1) return undefined;
    return { pgid: value.pgid, startTime: typeof value.startTime === 'string' ? value.startTime : null, bootId: typeof value.bootId === 'string' ? value.bootId : null };
  } catch {
    return undefined;
  }
}
