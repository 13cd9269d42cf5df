import { readdirSync, readFileSync } from 'node:fs';

/** What identifies one process for its whole life: a pid alone is reused once it exits. */
export interface ProcessIdentity {
  readonly pid: number;
  /** Clock ticks after boot when it started (field 22 of `/proc/<pid>/stat`). */
  readonly startTime: string;
  /** `/proc/sys/kernel/random/boot_id`: start times restart at each boot. */
  readonly bootId: string;
}

export interface ProcessStat {
  /** `R`, `S`, `Z` (exited, not yet reaped) and so on. */
  readonly state: string;
  readonly pgrp: number;
  readonly startTime: string;
}

/** Reads `/proc/<pid>/stat`; undefined when the process does not exist or there is no /proc (not Linux). */
export function readProcessStat(pid: number): ProcessStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may hold spaces or parentheses itself.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  const pgrp = Number(fields[2]);
  const startTime = fields[19];
  if (state === undefined || startTime === undefined || !Number.isInteger(pgrp)) return undefined;
  return { state, pgrp, startTime };
}

export function readBootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** The identity of a live process, or undefined where /proc is not available. */
export function processIdentity(pid: number): ProcessIdentity | undefined {
  const stat = readProcessStat(pid);
  const bootId = readBootId();
  return stat === undefined || bootId === undefined ? undefined : { pid, startTime: stat.startTime, bootId };
}

/** Pids of the processes in group `pgid` that have not exited (zombies have). */
export function liveGroupMembers(pgid: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readProcessStat(Number(entry));
    if (stat !== undefined && stat.pgrp === pgid && stat.state !== 'Z' && stat.state !== 'X') out.push(Number(entry));
  }
  return out;
}
