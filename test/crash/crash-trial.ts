import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const worker = new URL('./crash-worker.mjs', import.meta.url).pathname;

export interface CrashTrialResult {
  readonly kills: number;
  /** Exit code, stdout and stderr of the final, unkilled run. */
  readonly final: { code: number | null; stdout: string; stderr: string };
  /** queue.json failed to parse at some point between kills. */
  readonly unparsableSnapshots: number;
  readonly seqGapless: boolean;
  readonly enqueued: string[];
  readonly completed: string[];
  readonly finalSnapshot: { status: string; tasks: Array<{ status: string }> } | undefined;
}

function runWorker(stateDir: string, tasks: number, seed: number, killAfterMs?: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [worker, stateDir, String(tasks), String(seed)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('exit', (code) => {
      if (timer !== undefined) clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

async function parses(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return error;
  }
}

/**
 * One crash trial with real processes: a drover queue process (test/crash/crash-worker.mjs) is
 * killed with SIGKILL at random points one to three times, then left to finish; the trial
 * reports what the state files show. Shared by the crash test and `npm run bench:crash`.
 */
export async function runCrashTrial(index: number, tasks = 40): Promise<CrashTrialResult> {
  const stateDir = await mkdtemp(join(tmpdir(), 'drover-crash-'));
  const seed = 1000 + index;
  const kills = 1 + (index % 3);
  let unparsableSnapshots = 0;
  for (let k = 0; k < kills; k += 1) {
    await runWorker(stateDir, tasks, seed, 20 + Math.floor(Math.random() * 250));
    if ((await parses(join(stateDir, 'queue.json'))) instanceof Error) unparsableSnapshots += 1;
  }
  const final = await runWorker(stateDir, tasks, seed);
  const audit = (await readFile(join(stateDir, 'audit.jsonl'), 'utf8')).trimEnd().split('\n').map((line) => JSON.parse(line) as { seq: number; event: string; taskId?: string });
  const snapshot = await parses(join(stateDir, 'queue.json'));
  await rm(stateDir, { recursive: true, force: true });
  return {
    kills,
    final,
    unparsableSnapshots,
    seqGapless: audit.every((event, i) => event.seq === i + 1),
    enqueued: audit.filter((event) => event.event === 'task-enqueued').map((event) => event.taskId!),
    completed: audit.filter((event) => event.event === 'task-completed').map((event) => event.taskId!),
    finalSnapshot: snapshot instanceof Error ? undefined : (snapshot as CrashTrialResult['finalSnapshot']),
  };
}
