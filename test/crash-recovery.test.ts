import { spawn } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const worker = new URL('./crash/crash-worker.mjs', import.meta.url).pathname;
const TRIALS = Number(process.env.DROVER_CRASH_TRIALS ?? 50);
const TASKS = 40;

function runWorker(stateDir: string, seed: number, killAfterMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [worker, stateDir, String(TASKS), String(seed)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('exit', (code, signal) => {
      if (timer !== undefined) clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

async function readJsonIfPresent(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function trial(index: number): Promise<void> {
  const stateDir = await mkdtemp(join(tmpdir(), 'drover-crash-'));
  const seed = 1000 + index;
  // One to three SIGKILLs at random points, then a run left to finish.
  const kills = 1 + (index % 3);
  for (let k = 0; k < kills; k += 1) {
    await runWorker(stateDir, seed, 20 + Math.floor(Math.random() * 250));
    await readJsonIfPresent(join(stateDir, 'queue.json')); // must always parse
  }
  const final = await runWorker(stateDir, seed);
  expect(final.stderr).toBe('');
  expect(final.code).toBe(0);
  expect(JSON.parse(final.stdout)).toEqual({ verdict: 'done' });
  const audit = (await readFile(join(stateDir, 'audit.jsonl'), 'utf8')).trimEnd().split('\n').map((line) => JSON.parse(line) as { seq: number; event: string; taskId?: string });
  expect(audit.map((event) => event.seq)).toEqual(audit.map((_, i) => i + 1));
  const enqueued = audit.filter((event) => event.event === 'task-enqueued').map((event) => event.taskId);
  const completed = audit.filter((event) => event.event === 'task-completed').map((event) => event.taskId);
  expect(enqueued).toHaveLength(TASKS);
  expect([...completed].sort()).toEqual([...enqueued].sort());
  const snapshot = (await readJsonIfPresent(join(stateDir, 'queue.json'))) as { tasks: Array<{ status: string }>; status: string };
  expect(snapshot.status).toBe('done');
  expect(snapshot.tasks.every((task) => task.status === 'done')).toBe(true);
}

describe('crash recovery with real processes killed by SIGKILL', () => {
  it(`${TRIALS} trials: every resumed run finishes, each task is done exactly once in audit.jsonl, queue.json always parses`, { timeout: 240_000 }, async () => {
    const pending = Array.from({ length: TRIALS }, (_, i) => i);
    const workers = Array.from({ length: 4 }, async () => {
      for (let next = pending.shift(); next !== undefined; next = pending.shift()) await trial(next);
    });
    await Promise.all(workers);
  });
});
