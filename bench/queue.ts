/**
 * `npm run bench:queue -- --tasks N [--concurrency C] [--runs R]`
 *
 * Drains an N-task random DAG (layers about sqrt(N) wide, each task depending on one or two
 * tasks of the layer before) with an in-process no-op agent and the file store, durability on
 * (every acknowledged transition is fdatasync'ed to audit.jsonl). Prints JSON.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_LIMITS, drainQueue, FileStore, functionAgent, RunQueue } from '../src/index.js';

const { values } = parseArgs({ options: { tasks: { type: 'string', default: '10000' }, concurrency: { type: 'string', default: '1' }, runs: { type: 'string', default: '3' } } });
const tasks = Number(values.tasks);
const concurrency = Number(values.concurrency);
const runs = Number(values.runs);

let seed = 42;
const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);

async function once(): Promise<{ wall_ms: number; seed_ms: number; drain_ms: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'drover-bench-queue-'));
  const started = performance.now();
  const store = new FileStore(dir);
  await store.open();
  const policy = { limits: { ...DEFAULT_LIMITS, maxTasks: tasks, maxChildren: tasks }, taskTypes: null, sinkTypes: new Set<string>(), defaultMaxAttempts: 2 };
  const queue = await RunQueue.start(store, { runId: 'bench', installDir: dir, detected: { framework: null, packageManager: null } }, policy);
  const width = Math.max(1, Math.round(Math.sqrt(tasks)));
  let previous: string[] = [];
  let layer: string[] = [];
  for (let i = 0; i < tasks; i += 1) {
    const dependsOn = previous.length === 0 ? [] : [...new Set([previous[Math.floor(random() * previous.length)]!, previous[Math.floor(random() * previous.length)]!])].slice(0, 1 + Math.floor(random() * 2));
    const result = await queue.enqueue({ type: 'work', inputs: { i }, reason: 'bench', dependsOn }, { kind: 'orchestrator' });
    if (!result.ok) throw new Error(result.message);
    layer.push(result.value.id);
    if (layer.length === width) {
      previous = layer;
      layer = [];
    }
  }
  await queue.markSeeded();
  const seeded = performance.now();
  const agent = functionAgent(async (_task, context) => {
    const result = await context.tools.complete_task({ status: 'done', handoff: { goal: 'g', did: 'nothing', forNextAgent: 'nothing' } });
    if (!result.ok) throw new Error(result.message);
  });
  const verdict = await drainQueue(queue, { agent, installDir: dir, stateDir: dir, concurrency });
  await queue.close();
  const ended = performance.now();
  if (verdict.status !== 'done') throw new Error(`run ended ${verdict.status}`);
  await rm(dir, { recursive: true, force: true });
  return { wall_ms: ended - started, seed_ms: seeded - started, drain_ms: ended - seeded };
}

const samples = [];
for (let r = 0; r < runs; r += 1) samples.push(await once());
samples.sort((a, b) => a.wall_ms - b.wall_ms);
const median = samples[Math.floor(samples.length / 2)]!;
const round = (n: number): number => Math.round(n * 1000) / 1000;
process.stdout.write(
  `${JSON.stringify({
    tasks,
    concurrency,
    runs,
    wall_ms: round(median.wall_ms),
    per_task_ms: round(median.wall_ms / tasks),
    seed_ms: round(median.seed_ms),
    drain_ms: round(median.drain_ms),
    peak_rss_mb: round(process.resourceUsage().maxRSS / 1024),
  })}\n`,
);
