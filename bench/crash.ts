/**
 * `npm run bench:crash [-- --trials N]`: many more SIGKILL trials than the test suite runs
 * (see test/crash/crash-trial.ts). Prints JSON with what went wrong, if anything.
 */
import { parseArgs } from 'node:util';
import { runCrashTrial } from '../test/crash/crash-trial.js';

const { values } = parseArgs({ options: { trials: { type: 'string', default: '300' }, tasks: { type: 'string', default: '40' } } });
const trials = Number(values.trials);
const tasks = Number(values.tasks);
const started = performance.now();
const totals = { trials, tasks_per_trial: tasks, kills: 0, unfinished_runs: 0, duplicate_completions: 0, lost_tasks: 0, unparsable_snapshots: 0, seq_gaps: 0, wall_ms: 0 };
const pending = Array.from({ length: trials }, (_, i) => i);
await Promise.all(
  Array.from({ length: 4 }, async () => {
    for (let next = pending.shift(); next !== undefined; next = pending.shift()) {
      const trial = await runCrashTrial(next, tasks);
      totals.kills += trial.kills;
      if (trial.final.code !== 0) totals.unfinished_runs += 1;
      totals.duplicate_completions += trial.completed.length - new Set(trial.completed).size;
      totals.lost_tasks += trial.enqueued.filter((id) => !trial.completed.includes(id)).length;
      totals.unparsable_snapshots += trial.unparsableSnapshots;
      if (!trial.seqGapless) totals.seq_gaps += 1;
    }
  }),
);
totals.wall_ms = Math.round(performance.now() - started);
process.stdout.write(`${JSON.stringify(totals)}\n`);
