import { describe, expect, it } from 'vitest';
import { runCrashTrial } from './crash/crash-trial.js';

const TRIALS = Number(process.env.DROVER_CRASH_TRIALS ?? 50);
const TASKS = 40;

describe('crash recovery with real processes killed by SIGKILL', () => {
  // The timeout only catches a hang: 50 trials start a few hundred processes, which on a loaded
  // 2-core machine took over 240 s (the old limit) without anything being wrong.
  it(`${TRIALS} trials: every resumed run finishes, each task is done exactly once in audit.jsonl, queue.json always parses`, { timeout: 900_000 }, async () => {
    const pending = Array.from({ length: TRIALS }, (_, i) => i);
    const workers = Array.from({ length: 4 }, async () => {
      for (let next = pending.shift(); next !== undefined; next = pending.shift()) {
        const trial = await runCrashTrial(next, TASKS);
        expect(trial.final.stderr).toBe('');
        expect(trial.final.code).toBe(0);
        expect(JSON.parse(trial.final.stdout)).toEqual({ verdict: 'done' });
        expect(trial.unparsableSnapshots).toBe(0);
        expect(trial.seqGapless).toBe(true);
        expect(trial.enqueued).toHaveLength(TASKS);
        expect([...trial.completed].sort()).toEqual([...trial.enqueued].sort());
        expect(trial.finalSnapshot?.status).toBe('done');
        expect(trial.finalSnapshot?.tasks.every((task) => task.status === 'done')).toBe(true);
      }
    });
    await Promise.all(workers);
  });
});
