/**
 * `npm run bench:startup [-- --runs N]`
 *
 * How fast the CLI starts, as whole processes, each beside its floor measured in the same run
 * (the runs are interleaved, so load on the machine hits floor and figure alike):
 * - `drover --version` beside `node -e 0` (target ≤ 1.5×);
 * - `drover run --install-dir <copy of examples/next-app>` with the stub agent, six tasks, start
 *   to exit (target ≤ 0.4 s), beside the same `node -e 0`;
 * - `drover status` on the finished run and `drover --help`, for reference.
 * Prints JSON: medians and fastest of N runs (default 11) after one warm-up, and the ratios;
 * beside each wall time the median CPU time (user + system) and its ratio to the floor's.
 * `--bin PATH` (repeatable) measures other builds' `bin/drover.js` in the same rounds (A/B).
 * Needs dist/ (`npm run build`).
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '11' }, bin: { type: 'string', multiple: true } } });
const runs = Math.max(1, Number(values.runs));
const root = fileURLToPath(new URL('..', import.meta.url));
// `--bin PATH` (repeatable): other builds' bin/drover.js, measured in the same rounds (A/B).
const bins = values.bin ?? [join(root, 'bin', 'drover.js')];
const example = join(root, 'examples', 'next-app');
const env: NodeJS.ProcessEnv = { ...process.env, DO_NOT_TRACK: '1', NO_COLOR: '1' };
delete env.npm_command;
delete env.npm_execpath;
delete env.npm_lifecycle_event;

/**
 * Wall time of one process from spawn to exit, and its CPU time (user + system, from
 * `/usr/bin/time`, 10 ms resolution: the figure that does not depend on what else the cores are
 * doing); throws when it fails.
 */
async function timeProcess(args: readonly string[], cwd = root): Promise<Sample> {
  const stats = join(work, 'time.txt');
  const started = performance.now();
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-o', stats, '-f', '%U %S', process.execPath, ...args], { cwd, env, stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', (exitCode) => resolve(exitCode));
  });
  const ms = performance.now() - started;
  if (code !== 0) throw new Error(`node ${args.join(' ')} exited ${code}`);
  const [user, system] = readFileSync(stats, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
  return { ms, cpuMs: (user! + system!) * 1000 };
}

interface Sample {
  readonly ms: number;
  readonly cpuMs: number;
}

const work = mkdtempSync(join(tmpdir(), 'drover-bench-startup-'));
type Measure = 'version' | 'help' | 'run' | 'status';
const samples = new Map<string, Sample[]>([['node', []]]);
const key = (measure: Measure, index: number): string => (index === 0 ? measure : `${measure} ${bins[index]}`);
try {
  for (let i = 0; i <= runs; i += 1) {
    const round: Array<[string, Sample]> = [['node', await timeProcess(['-e', '0'])]];
    for (const [index, bin] of bins.entries()) {
      // A fresh copy each time: a run on a finished state dir would only print its summary.
      const app = join(work, `app-${i}-${index}`);
      cpSync(example, app, { recursive: true, filter: (source) => !source.includes('.drover') });
      round.push(
        [key('version', index), await timeProcess([bin, '--version'])],
        [key('help', index), await timeProcess([bin, '--help'])],
        [key('run', index), await timeProcess([bin, 'run', '--install-dir', app, '--ui', 'plain', '--no-telemetry'])],
        [key('status', index), await timeProcess([bin, 'status', '--install-dir', app])],
      );
      rmSync(app, { recursive: true, force: true });
    }
// The first round warms the file cache and is left out.
    if (i > 0) for (const [name, sample] of round) samples.set(name, [...(samples.get(name) ?? []), sample]);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fastest = (xs: number[]): number => Math.min(...xs);
const r1 = (n: number): number => Math.round(n * 10) / 10;
const r2 = (n: number): number => Math.round(n * 100) / 100;
const wall = (name: string): number[] => samples.get(name)!.map((sample) => sample.ms);
const cpu = (name: string): number[] => samples.get(name)!.map((sample) => sample.cpuMs);
const floor = median(wall('node'));
const floorCpu = median(cpu('node'));
const figure = (name: string) => ({
  median_ms: r1(median(wall(name))),
  fastest_ms: r1(fastest(wall(name))),
  ...(name === 'node' ? {} : { ratio_to_floor: r2(median(wall(name)) / floor) }),
  cpu_median_ms: r1(median(cpu(name))),
  ...(name === 'node' ? {} : { cpu_ratio_to_floor: r2(median(cpu(name)) / floorCpu) }),
});

function figuresOf(index: number) {
  return {
    version: { ...figure(key('version', index)), target_ratio: 1.5 },
    run_next_app_stub: { ...figure(key('run', index)), target_ms: 400 },
    status_finished_run: figure(key('status', index)),
    help: figure(key('help', index)),
  };
}

process.stdout.write(
  `${JSON.stringify(
    {
      runs,
      load_average_1m: r2(loadavg()[0]!),
      floor_node_e0: figure('node'),
      ...figuresOf(0),
      // With several `--bin`s, every build's figures (the first one's are also above).
      ...(bins.length > 1 ? { bins: Object.fromEntries(bins.map((bin, index) => [bin, figuresOf(index)])) } : {}),
    },
    null,
    2,
  )}\n`,
);
