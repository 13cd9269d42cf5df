/**
 * `npm run bench:queue [-- --runs R] [--skip-rss]`
 *
 * The queue at the fsync floor (issue 12). Each case drains a random DAG (layers about sqrt(N)
 * wide, each task depending on one or two tasks of the layer before) with an in-process no-op
 * agent and the file store, durability on, and prints it beside a floor measured in the same run
 * on the same disk:
 *
 * - drain 1k at concurrency 1: floor = 1k durable appends of one line (one sync per task is the
 *   least a durable start-or-completion can cost);
 * - drain 10k at concurrency 8: floor = 10k/8 durable appends of 8 lines;
 * - peak RSS draining 1k / 10k / 50k (each in a fresh process): floor = an idle node process, and
 *   the figure that matters is MB per 1k tasks above it, which should stay flat.
 *
 * A durable append is the faster of write + fdatasync and an O_DSYNC write, so the floor is the
 * best this disk offers. A second floor adds what the state-dir contract asks per task on top of
 * the log: one `handoffs/<id>.json` file, created the cheapest way (a synchronous O_EXCL create +
 * write + close); creating a file costs this VM's kernel more than a share of a group commit. `commits` counts the drain's durable writes to audit.jsonl beside the
 * floor's; `drain_cpu_ms` shows how much of the gap is CPU (`drain_sys_ms` of it in the kernel,
 * `cpu_per_task_ms` per task). Medians of `--runs` (default 3). Prints JSON.
 *
 * Every directory the bench writes is made under one root and removed only when the bench ends:
 * on ext4 without a journal (this VM's disk) creating a file first scans past the inodes deleted
 * in the last 30 s or so (`recently_deleted`), so deleting one case's 10,000 files made the next
 * case's handoff copies several times dearer than a real run's.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, constants, openSync, writeSync } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_LIMITS, drainQueue, FileStore, functionAgent, nodeStateFs, RunQueue, type StateFs } from '../src/index.js';

const { values } = parseArgs({ options: { child: { type: 'string' }, root: { type: 'string' }, tasks: { type: 'string' }, concurrency: { type: 'string' }, runs: { type: 'string', default: '3' }, 'skip-rss': { type: 'boolean', default: false } } });
const round = (n: number): number => Math.round(n * 1000) / 1000;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Counts the durable writes (commits) to audit.jsonl: the figure the floor is made of. */
function countingFs(counter: { commits: number }): StateFs {
  return {
    ...nodeStateFs,
    async open(path, flags, mode) {
      const file = await nodeStateFs.open(path, flags, mode);
      if (!path.endsWith('audit.jsonl')) return file;
      return { write: (data) => ((counter.commits += 1), file.write(data)), datasync: () => file.datasync(), sync: () => file.sync(), truncate: (length) => file.truncate(length), stat: () => file.stat(), close: () => file.close() };
    },
  };
}

/** Where this bench's directories go; removed when the bench ends (see the note above). */
const benchRoot = values.root ?? (await mkdtemp(join(tmpdir(), 'drover-bench-queue-')));

async function drainOnce(tasks: number, concurrency: number): Promise<{ seed_ms: number; drain_ms: number; drain_cpu_ms: number; drain_sys_ms: number; commits: number }> {
  const dir = await mkdtemp(join(benchRoot, 'drain-'));
  let seed = 42;
  const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const started = performance.now();
  const counter = { commits: 0 };
  const store = new FileStore(dir, { fs: countingFs(counter) });
  await store.open();
  const policy = { limits: { ...DEFAULT_LIMITS, maxTasks: tasks, maxChildren: tasks }, taskTypes: null, sinkTypes: new Set<string>(), defaultMaxAttempts: 2 };
  const queue = await RunQueue.start(store, { runId: 'bench', installDir: dir, detected: { framework: null, packageManager: null } }, policy);
  const width = Math.max(1, Math.round(Math.sqrt(tasks)));
  await queue.enqueueBatch((add) => {
    let previous: string[] = [];
    let layer: string[] = [];
    for (let i = 0; i < tasks; i += 1) {
      const dependsOn = previous.length === 0 ? [] : [...new Set([previous[Math.floor(random() * previous.length)]!, previous[Math.floor(random() * previous.length)]!])].slice(0, 1 + Math.floor(random() * 2));
      layer.push(add({ type: 'work', inputs: { i }, reason: 'bench', dependsOn }));
      if (layer.length === width) {
        previous = layer;
        layer = [];
      }
    }
  });
  await queue.markSeeded();
  const seeded = performance.now();
  const seedCommits = counter.commits;
  const cpu = process.cpuUsage();
  const agent = functionAgent(async (_task, context) => {
    const result = await context.tools.complete_task({ status: 'done', handoff: { goal: 'g', did: 'nothing', forNextAgent: 'nothing' } });
    if (!result.ok) throw new Error(result.message);
  });
  const verdict = await drainQueue(queue, { agent, installDir: dir, stateDir: dir, concurrency });
  await queue.close();
  const ended = performance.now();
  const used = process.cpuUsage(cpu);
  if (verdict.status !== 'done') throw new Error(`run ended ${verdict.status}`);
  return { seed_ms: seeded - started, drain_ms: ended - seeded, drain_cpu_ms: (used.user + used.system) / 1000, drain_sys_ms: used.system / 1000, commits: counter.commits - seedCommits };
}

/** `files` handoff-sized files created in one folder, synchronously: the least the per-task copies can cost. */
async function copiesFloorMs(files: number): Promise<number> {
  const dir = await mkdtemp(join(benchRoot, 'copies-'));
  const text = `${JSON.stringify({ taskId: 'work-123', type: 'work', status: 'done', goal: 'g', did: 'nothing', forNextAgent: 'nothing', completedAt: new Date().toISOString() }, null, 2)}\n`;
  const t0 = performance.now();
  for (let i = 0; i < files; i += 1) {
    const fd = openSync(join(dir, `work-${i}.json`), constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
    writeSync(fd, text);
    closeSync(fd);
  }
  return performance.now() - t0;
}

/** `appends` durable appends of `linesPer` audit-sized lines: the least a durable queue can do. */
async function floorMs(appends: number, linesPer: number): Promise<number> {
  const dir = await mkdtemp(join(benchRoot, 'floor-'));
  const line = `${JSON.stringify({ seq: 1, ts: new Date().toISOString(), event: 'task-completed', taskId: 'work-123', handoff: { taskId: 'work-123', type: 'work', status: 'done', goal: 'g', did: 'nothing', forNextAgent: 'nothing', completedAt: new Date().toISOString() } })}\n`.repeat(linesPer);
  const timed = async (flags: number, sync: boolean): Promise<number> => {
    const handle = await open(join(dir, `floor-${flags}.jsonl`), flags, 0o644);
    const t0 = performance.now();
    for (let i = 0; i < appends; i += 1) {
      await handle.write(line);
      if (sync) await handle.datasync();
    }
    const ms = performance.now() - t0;
    await handle.close();
    return ms;
  };
  const base = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT;
  return Math.min(await timed(base, true), await timed(base | constants.O_DSYNC, false));
}

function inChild(args: string[]): Record<string, number> {
  const result = spawnSync(process.execPath, [...process.execArgv, new URL(import.meta.url).pathname, '--root', benchRoot, ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (result.status !== 0) throw new Error(`bench child failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as Record<string, number>;
}

if (values.child === 'drain') {
  const tasks = Number(values.tasks);
  const figures = await drainOnce(tasks, Number(values.concurrency));
  process.stdout.write(`${JSON.stringify({ ...figures, peak_rss_mb: process.resourceUsage().maxRSS / 1024 })}\n`);
  // Run on its own (not from the parent, which removes its root at the end): clean up now.
  if (values.root === undefined) await rm(benchRoot, { recursive: true, force: true });
} else if (values.child === 'idle') {
  process.stdout.write(`${JSON.stringify({ peak_rss_mb: process.resourceUsage().maxRSS / 1024 })}\n`);
} else {
  const runs = Number(values.runs);
  const drainCase = async (tasks: number, concurrency: number, target: number) => {
    const drain: number[] = [];
    const floor: number[] = [];
    const copies: number[] = [];
    const seedMs: number[] = [];
    const cpuMs: number[] = [];
    const sysMs: number[] = [];
    const commits: number[] = [];
    for (let r = 0; r < runs; r += 1) {
      // Interleaved, so a drifting disk moves both alike.
      floor.push(await floorMs(Math.ceil(tasks / concurrency), concurrency));
      copies.push(await copiesFloorMs(tasks));
      const once = await drainOnce(tasks, concurrency);
      drain.push(once.drain_ms);
      seedMs.push(once.seed_ms);
      cpuMs.push(once.drain_cpu_ms);
      sysMs.push(once.drain_sys_ms);
      commits.push(once.commits);
    }
    const ratio = median(drain) / median(floor);
    const withCopies = median(floor) + median(copies);
    return { case: `drain ${tasks} tasks, concurrency ${concurrency}`, drain_ms: round(median(drain)), floor_ms: round(median(floor)), ratio: round(ratio), target, meets_target: ratio <= target, copies_floor_ms: round(median(copies)), floor_with_copies_ms: round(withCopies), ratio_with_copies: round(median(drain) / withCopies), seed_ms: round(median(seedMs)), drain_cpu_ms: round(median(cpuMs)), drain_sys_ms: round(median(sysMs)), cpu_per_task_ms: round(median(cpuMs) / tasks), commits: median(commits), floor_commits: Math.ceil(tasks / concurrency), per_task_ms: round(median(drain) / tasks) };
  };
  const idle = inChild(['--child', 'idle']).peak_rss_mb!;
  const rss = (values['skip-rss'] ? [] : [1000, 10_000, 50_000]).map((tasks) => {
    const child = inChild(['--child', 'drain', '--tasks', String(tasks), '--concurrency', '8']);
    return { tasks, peak_rss_mb: round(child.peak_rss_mb!), above_idle_mb: round(child.peak_rss_mb! - idle), mb_per_1k_tasks: round(((child.peak_rss_mb! - idle) / tasks) * 1000), drain_ms: round(child.drain_ms!) };
  });
  const output = {
    uptime: execFileSync('uptime', { encoding: 'utf8' }).trim(),
    runs,
    cases: [await drainCase(1000, 1, 1.5), await drainCase(10_000, 8, 2)],
    peak_rss: { floor_idle_node_mb: round(idle), drains: rss },
  };
  process.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
  await rm(benchRoot, { recursive: true, force: true });
}
