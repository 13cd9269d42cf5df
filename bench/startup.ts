/**
 * `npm run bench:startup [-- --runs N]`
 *
 * How fast the CLI starts, as whole processes, each beside its floor measured in the same run
 * (the runs are interleaved, so load on the machine hits floor and figure alike):
 * - `drover --version` beside `node -e 0` (target ≤ 1.5×);
 * - `drover run --install-dir <copy of examples/next-app>` with the stub agent, six tasks, start
 *   to exit (target ≤ 0.4 s), beside the same `node -e 0`;
 * - `drover status` on the finished run and `drover --help`, for reference.
 * Prints JSON: medians and fastest of N runs (default 11) after one warm-up, and the ratios.
 * Needs dist/ (`npm run build`).
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '11' } } });
const runs = Math.max(1, Number(values.runs));
const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin', 'drover.js');
const example = join(root, 'examples', 'next-app');
const env: NodeJS.ProcessEnv = { ...process.env, DO_NOT_TRACK: '1', NO_COLOR: '1' };
delete env.npm_command;
delete env.npm_execpath;
delete env.npm_lifecycle_event;

/** Wall time of one process from spawn to exit; throws when it fails. */
async function timeProcess(args: readonly string[], cwd = root): Promise<number> {
  const started = performance.now();
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', (exitCode) => resolve(exitCode));
  });
  const ms = performance.now() - started;
  if (code !== 0) throw new Error(`node ${args.join(' ')} exited ${code}`);
  return ms;
}

const work = mkdtempSync(join(tmpdir(), 'drover-bench-startup-'));
const samples: Record<'node' | 'version' | 'help' | 'run' | 'status', number[]> = { node: [], version: [], help: [], run: [], status: [] };
try {
  for (let i = 0; i <= runs; i += 1) {
    // A fresh copy each time: a run on a finished state dir would only print its summary.
    const app = join(work, `app-${i}`);
    cpSync(example, app, { recursive: true, filter: (source) => !source.includes('.drover') });
    const round: Array<[keyof typeof samples, number]> = [
      ['node', await timeProcess(['-e', '0'])],
      ['version', await timeProcess([bin, '--version'])],
      ['help', await timeProcess([bin, '--help'])],
      ['run', await timeProcess([bin, 'run', '--install-dir', app, '--ui', 'plain', '--no-telemetry'])],
      ['status', await timeProcess([bin, 'status', '--install-dir', app])],
    ];
    // The first round warms the file cache and is left out.
    if (i > 0) for (const [name, ms] of round) samples[name].push(ms);
    rmSync(app, { recursive: true, force: true });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fastest = (xs: number[]): number => Math.min(...xs);
const r1 = (n: number): number => Math.round(n * 10) / 10;
const r2 = (n: number): number => Math.round(n * 100) / 100;
const figure = (name: keyof typeof samples) => ({ median_ms: r1(median(samples[name])), fastest_ms: r1(fastest(samples[name])) });
const floor = median(samples.node);

process.stdout.write(
  `${JSON.stringify(
    {
      runs,
      load_average_1m: r2(loadavg()[0]!),
      floor_node_e0: figure('node'),
      version: { ...figure('version'), ratio_to_floor: r2(median(samples.version) / floor), target_ratio: 1.5 },
      run_next_app_stub: { ...figure('run'), ratio_to_floor: r2(median(samples.run) / floor), target_ms: 400 },
      status_finished_run: { ...figure('status'), ratio_to_floor: r2(median(samples.status) / floor) },
      help: { ...figure('help'), ratio_to_floor: r2(median(samples.help) / floor) },
    },
    null,
    2,
  )}\n`,
);
