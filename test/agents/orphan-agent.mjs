#!/usr/bin/env node
// An agent for the orphan test (test/kill-and-resume.test.ts). The first attempt of the task
// named by ORPHAN_TASK records its pid and hangs until `release` appears, then writes a late
// side effect — what a real agent left running by a SIGKILLed drover would do. The retry
// records whether that first process is still alive, then creates `release`. Every other task,
// and the retry after that, behave as the fake agent does.
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const dir = process.env.ORPHAN_DIR;
const id = process.env.DROVER_TASK_ID;
const at = (name) => join(dir, name);
const aliveState = (pid) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] !== 'Z';
  } catch {
    return false;
  }
};

if (id === process.env.ORPHAN_TASK && !existsSync(at('first-pid'))) {
  writeFileSync(at('first-pid'), String(process.pid));
  while (!existsSync(at('release'))) await sleep(20);
  writeFileSync(at('orphan-effect'), `written by ${process.pid} after release\n`);
  process.exit(0);
}
if (id === process.env.ORPHAN_TASK) {
  const first = Number(readFileSync(at('first-pid'), 'utf8'));
  writeFileSync(at('retry-saw'), JSON.stringify({ firstAlive: aliveState(first) }));
  writeFileSync(at('release'), '');
}
appendFileSync(at('ran'), `${id}\n`);
await import('./fake-agent.mjs');
