/**
 * `npm run bench:agents [-- --tasks N]`
 *
 * The orchestration overhead per task with a command agent that completes at once: spawn (no
 * shell, own process group), MCP handshake over HTTP with the task's token, complete_task, exit,
 * and the transitions around it — beyond what a bare `node -e 0` spawn costs. Prints JSON.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { commandAgent, DEFAULT_LIMITS, drainQueue, FileStore, RunQueue } from '../src/index.js';
import { McpEndpoint } from '../src/tools/mcp/mcp-endpoint.js';

const { values } = parseArgs({ options: { tasks: { type: 'string', default: '40' } } });
const tasks = Number(values.tasks);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (n: number): number => Math.round(n * 10) / 10;

async function bareSpawn(): Promise<number> {
  const started = performance.now();
  await new Promise<void>((resolve, reject) => spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' }).once('close', () => resolve()).once('error', reject));
  return performance.now() - started;
}

const bare: number[] = [];
for (let i = 0; i < tasks; i += 1) bare.push(await bareSpawn());

const dir = await mkdtemp(join(tmpdir(), 'drover-bench-agents-'));
const store = new FileStore(dir);
await store.open();
const queue = await RunQueue.start(store, { runId: 'bench-agents', installDir: dir, detected: { framework: null, packageManager: null } }, { limits: { ...DEFAULT_LIMITS, maxTasks: tasks }, taskTypes: null, sinkTypes: new Set(), defaultMaxAttempts: 1 });
for (let i = 0; i < tasks; i += 1) await queue.enqueue({ type: 'noop', inputs: { i }, reason: 'bench' }, { kind: 'orchestrator' });
await queue.markSeeded();
const startedAt = new Map<string, number>();
const perTask: number[] = [];
queue.subscribe((event) => {
  if (event.event === 'task-started') startedAt.set(event.taskId, performance.now());
  if (event.event === 'task-completed') perTask.push(performance.now() - startedAt.get(event.taskId)!);
});
const mcp = new McpEndpoint();
await mcp.listen();
const agent = commandAgent({ command: `${process.execPath} ${new URL('./minimal-agent.mjs', import.meta.url).pathname}` });
const wallStart = performance.now();
const verdict = await drainQueue(queue, { agent, installDir: dir, stateDir: dir, concurrency: 1, mcp });
const wall = performance.now() - wallStart;
await mcp.close();
await queue.close();
await rm(dir, { recursive: true, force: true });
if (verdict.status !== 'done') throw new Error(`run ended ${verdict.status}`);

process.stdout.write(
  `${JSON.stringify({
    tasks,
    bare_node_spawn_median_ms: round(median(bare)),
    task_median_ms: round(median(perTask)),
    overhead_median_ms: round(median(perTask) - median(bare)),
    wall_per_task_ms: round(wall / tasks),
  })}\n`,
);
