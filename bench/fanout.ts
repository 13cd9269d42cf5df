/**
 * Fanout benchmark: `npm run bench:fanout [-- --only 1k]`. Each case runs the real CLI as a whole
 * process (`node bin/drover.js fanout plan|reconcile ...`, imports included, from dist/) beside
 * its floor (bench/fanout-floor.mjs: parse, one Map, stringify — byte-identical output, checked),
 * alternating, in the same run, so both see the same machine load. Wall time and peak RSS come
 * from /usr/bin/time; the ratios use each side's fastest run, the least disturbed by other work.
 * `--only jsonl` plans a large JSON Lines items file (BENCH_FANOUT_JSONL_MB, default 1024) and
 * reports its time and peak memory. Prints JSON.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createWriteStream, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const bin = join(root, 'bin/drover.js');
const floor = join(root, 'bench/fanout-floor.mjs');

interface Case {
  readonly name: string;
  readonly kind: 'plan' | 'reconcile';
  readonly items: number;
  readonly groups: number;
  readonly runs: number;
}

const CASES: readonly Case[] = [
  { name: 'plan 1k items into 100 groups', kind: 'plan', items: 1_000, groups: 100, runs: 5 },
  { name: 'plan 100k items into 1,000 groups', kind: 'plan', items: 100_000, groups: 1_000, runs: 3 },
  { name: 'plan 1M items into 10,000 groups', kind: 'plan', items: 1_000_000, groups: 10_000, runs: 2 },
  { name: 'reconcile 1k records against 1k tasks', kind: 'reconcile', items: 1_000, groups: 1_000, runs: 5 },
  { name: 'reconcile 100k records against 100k tasks', kind: 'reconcile', items: 100_000, groups: 100_000, runs: 3 },
];

const CONFIG = {
  schema: 'homeboy/generic-fanout-reconcile-config/v1',
  orchestrator: { id: 'bench', run_id: 'run-1', plan_id: 'plan-1' },
  group_key_path: 'category',
  task_request_template: {
    id: 'task-{{group.key}}',
    group_key: '{{group.key}}',
    item_ids: '{{group.item_ids}}',
    instructions: 'Process {{group.key}} with {{group.item_count}} item(s).',
    inputs: { items: '{{group.items}}' },
  },
  runtime_execution: { backend: 'caller-provided-executor', task: { name: 'process-generic-group', group: '{{group.key}}' } },
};

interface Run {
  readonly seconds: number;
  readonly peak_rss_mb: number;
  /** User + system CPU time: what the process itself costs, whatever else the cores are doing. */
  readonly cpu_seconds: number;
}

function timed(args: readonly string[]): Run {
  const stats = join(dir, 'time.txt');
  const result = spawnSync('/usr/bin/time', ['-o', stats, '-f', '%e %M %U %S', process.execPath, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  const [seconds, kb, user, system] = readFileSync(stats, 'utf8').trim().split('\n').at(-1)?.split(' ') ?? [];
  return { seconds: Number(seconds), peak_rss_mb: Math.round(Number(kb) / 1024), cpu_seconds: Number(user) + Number(system) };
}

function item(i: number, groups: number): string {
  return JSON.stringify({ id: `item-${i}`, category: `cat-${i % groups}`, path: `src/file-${i}.ts`, severity: i % 3 === 0 ? 'error' : 'warning' });
}

function writeItems(file: string, count: number, groups: number): void {
  const parts: string[] = [];
  for (let i = 0; i < count; i++) parts.push(item(i, groups));
  writeFileSync(file, `[${parts.join(',\n')}]`);
}

function prepare(testCase: Case): { drover: string[]; floor: string[]; outputs: [string, string] } {
  const config = join(dir, 'config.json');
  writeFileSync(config, JSON.stringify(CONFIG));
  const items = join(dir, 'items.json');
  writeItems(items, testCase.items, testCase.groups);
  const out = join(dir, 'drover-out.json');
  const floorOut = join(dir, 'floor-out.json');
  if (testCase.kind === 'plan') return { drover: [bin, 'fanout', 'plan', '--config', config, '--items', items, '--output', out], floor: [floor, 'plan', config, items, floorOut], outputs: [out, floorOut] };
  const plan = join(dir, 'plan.json');
  execFileSync(process.execPath, [bin, 'fanout', 'plan', '--config', config, '--items', items, '--output', plan]);
  const tasks = (JSON.parse(readFileSync(plan, 'utf8')) as { task_requests: { id: string }[] }).task_requests;
  const records = tasks.map((task, i) => ({ task_id: task.id, status: i % 10 === 0 ? 'failed' : 'completed', outcome: { kind: 'processed', n: i } })).reverse();
  const recordsFile = join(dir, 'records.json');
  writeFileSync(recordsFile, JSON.stringify(records));
  return { drover: [bin, 'fanout', 'reconcile', '--config', config, '--plan', plan, '--records', recordsFile, '--output', out], floor: [floor, 'reconcile', config, plan, recordsFile, floorOut], outputs: [out, floorOut] };
}

function measure(testCase: Case): Record<string, unknown> {
  const { drover, floor: floorArgs, outputs } = prepare(testCase);
  const droverRuns: Run[] = [];
  const floorRuns: Run[] = [];
  for (let run = 0; run < testCase.runs; run++) {
    floorRuns.push(timed(floorArgs));
    droverRuns.push(timed(drover));
  }
  if (!readFileSync(outputs[0]).equals(readFileSync(outputs[1]))) throw new Error(`${testCase.name}: drover's output differs from the floor's`);
  const best = (runs: Run[]) => runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  const d = best(droverRuns);
  const f = best(floorRuns);
  const peak = (runs: Run[]) => Math.max(...runs.map((run) => run.peak_rss_mb));
  const medianCpu = (runs: Run[]) => [...runs.map((run) => run.cpu_seconds)].sort((a, b) => a - b)[Math.floor(runs.length / 2)]!;
  return {
    name: testCase.name,
    runs: testCase.runs,
    drover_s: d.seconds,
    floor_s: f.seconds,
    time_ratio: round(d.seconds / Math.max(f.seconds, 0.01)),
    drover_peak_rss_mb: peak(droverRuns),
    floor_peak_rss_mb: peak(floorRuns),
    rss_ratio: round(peak(droverRuns) / peak(floorRuns)),
    // CPU time (median, 10 ms resolution): the figure to read when the machine is busy.
    drover_cpu_s: round(medianCpu(droverRuns)),
    floor_cpu_s: round(medianCpu(floorRuns)),
    cpu_ratio: round(medianCpu(droverRuns) / Math.max(medianCpu(floorRuns), 0.01)),
    output_identical: true,
  };
}

/**
 * A JSON Lines items file of `bytes` size, planned with a template that reads only each group's
 * key and item count, so the planner keeps nothing per item: peak RSS is reported beside the
 * input's size and beside `node -e 0` (the least any Node process takes).
 */
async function measureJsonLines(bytes: number): Promise<Record<string, unknown>> {
  const file = join(dir, 'items.jsonl');
  const stream = createWriteStream(file);
  let written = 0;
  let count = 0;
  const padding = 'x'.repeat(160);
  while (written < bytes) {
    const line = `{"id":"item-${count}","category":"cat-${count % 1000}","note":"${padding}"}\n`;
    written += line.length;
    count++;
    if (!stream.write(line)) await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve) => stream.end(() => resolve()));
  const config = join(dir, 'lean-config.json');
  writeFileSync(config, JSON.stringify({ ...CONFIG, task_request_template: { id: 'task-{{group.key}}', group_key: '{{group.key}}', instructions: 'Process {{group.key}} with {{group.item_count}} item(s).' } }));
  const node = timed(['-e', '0']);
  const run = timed([bin, 'fanout', 'plan', '--config', config, '--items', file, '--output', join(dir, 'jsonl-plan.json')]);
  rmSync(file);
  return {
    name: `plan a ${Math.round(written / 2 ** 20)} MiB JSON Lines items file (${count} items, 1,000 groups, key and count only)`,
    input_mb: Math.round(written / 2 ** 20),
    seconds: run.seconds,
    peak_rss_mb: run.peak_rss_mb,
    node_e_0_peak_rss_mb: node.peak_rss_mb,
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
const jsonlBytes = Number(process.env['BENCH_FANOUT_JSONL_MB'] ?? '1024') * 2 ** 20;
const dir = await mkdtemp(join(tmpdir(), 'drover-bench-fanout-'));
try {
  const results = CASES.filter((testCase) => only === undefined || testCase.name.includes(only)).map(measure);
  const jsonl = only === 'jsonl' ? await measureJsonLines(jsonlBytes) : undefined;
  console.log(
    JSON.stringify(
      {
        machine: { nproc: availableParallelism(), node: process.version, loadavg_1m_at_end: round(loadavg()[0] ?? 0) },
        target: 'time_ratio and rss_ratio at most 1.5',
        results,
        json_lines: jsonl,
      },
      null,
      2,
    ),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
