/**
 * Fanout benchmark: `npm run bench:fanout`. Each scenario runs in its own child process so its
 * peak RSS (resourceUsage().maxRSS) belongs to that scenario alone; inputs are generated before
 * the clock starts. Each is run 5 times; the size ratios use the fastest run, which is the least
 * disturbed by other work on the machine. The 1/10-size runs show that time grows linearly.
 */
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { planFanout, reconcileFanout, type FanoutPlan } from '../src/fanout/index.js';

interface Scenario {
  readonly name: string;
  readonly kind: 'plan' | 'reconcile';
  readonly items: number;
  readonly groups: number;
}

interface Measurement {
  readonly name: string;
  readonly kind: string;
  readonly items: number;
  readonly groups: number;
  readonly runs: number;
  readonly ms_min: number;
  readonly ms_median: number;
  readonly rss_before_mb: number;
  readonly peak_rss_mb: number;
}

const SCENARIOS: readonly Scenario[] = [
  { name: 'plan 1,000,000 items into 10,000 groups', kind: 'plan', items: 1_000_000, groups: 10_000 },
  { name: 'plan 100,000 items into 1,000 groups', kind: 'plan', items: 100_000, groups: 1_000 },
  { name: 'reconcile 100,000 records against 100,000 tasks', kind: 'reconcile', items: 100_000, groups: 100_000 },
  { name: 'reconcile 10,000 records against 10,000 tasks', kind: 'reconcile', items: 10_000, groups: 10_000 },
];
const RUNS = 5;

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

function makeItems(count: number, groups: number): Record<string, unknown>[] {
  const items = new Array<Record<string, unknown>>(count);
  for (let i = 0; i < count; i++) items[i] = { id: `item-${i}`, category: `cat-${i % groups}`, path: `src/file-${i}.ts`, severity: i % 3 === 0 ? 'error' : 'warning' };
  return items;
}

/** One record per task, in reverse plan order, matched by all four keys and with mixed statuses. */
function makeRecords(plan: FanoutPlan): Record<string, unknown>[] {
  const tasks = plan.task_requests;
  const records = new Array<Record<string, unknown>>(tasks.length);
  for (let i = 0; i < tasks.length; i++) {
    const task = tasks[tasks.length - 1 - i];
    const key = i % 4 === 0 ? { task_id: task?.id } : i % 4 === 1 ? { id: task?.id } : i % 4 === 2 ? { group_key: task?.group_key } : { id: 'executor-record', task_id: task?.id };
    records[i] = { ...key, status: i % 10 === 0 ? 'failed' : 'completed', outcome: { kind: 'processed', n: i } };
  }
  return records;
}

function measure(scenario: Scenario): Measurement {
  const items = makeItems(scenario.items, scenario.groups);
  let work: () => unknown;
  if (scenario.kind === 'plan') {
    work = () => planFanout({ config: CONFIG, items });
  } else {
    const plan = planFanout({ config: { ...CONFIG, task_request_template: { id: 'task-{{group.key}}' } }, items });
    const records = makeRecords(plan);
    work = () => reconcileFanout({ config: CONFIG, plan, records });
  }
  const rssBefore = process.memoryUsage().rss;
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    work();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return {
    name: scenario.name,
    kind: scenario.kind,
    items: scenario.items,
    groups: scenario.groups,
    runs: RUNS,
    ms_min: round(times[0] ?? 0),
    ms_median: round(times[Math.floor(times.length / 2)] ?? 0),
    rss_before_mb: round(rssBefore / 2 ** 20),
    peak_rss_mb: round((process.resourceUsage().maxRSS * 1024) / 2 ** 20),
  };
}

function runChild(index: number): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const child = fork(process.argv[1] ?? '', ['--child', String(index)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (message) => resolve(message as Measurement));
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`scenario ${index} exited with ${code}`));
    });
  });
}

function machine(): Record<string, unknown> {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  return { nproc: availableParallelism(), node: process.version, cpu: /model name\s*:\s*(.*)/.exec(cpuinfo)?.[1]?.trim() ?? 'unknown' };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

const childIndex = process.argv.indexOf('--child');
if (childIndex !== -1) {
  const scenario = SCENARIOS[Number(process.argv[childIndex + 1])];
  if (scenario === undefined) throw new Error('unknown scenario');
  process.send?.(measure(scenario));
} else {
  const results: Measurement[] = [];
  for (let i = 0; i < SCENARIOS.length; i++) results.push(await runChild(i));
  const ratio = (big: Measurement | undefined, small: Measurement | undefined) => (big && small ? round(big.ms_min / small.ms_min) : null);
  console.log(
    JSON.stringify(
      {
        machine: machine(),
        results,
        linearity: { plan_10x_size_time_ratio: ratio(results[0], results[1]), reconcile_10x_size_time_ratio: ratio(results[2], results[3]) },
        targets: { plan_ms: 3000, reconcile_ms: 1000 },
      },
      null,
      2,
    ),
  );
}
