/**
 * `npm run bench:agents [-- --tasks N]`
 *
 * The orchestration overhead per task with a command agent that completes at once: spawn (no
 * shell, own process group), MCP handshake over HTTP with the task's token, complete_task, exit,
 * and the transitions around it — beyond what a bare `node -e 0` spawn costs. Prints JSON.
 *
 * A second floor is the same agent (bench/minimal-agent.mjs, node:http, no fetch()) against a
 * plain HTTP server that answers its three requests at once, with no drover behind it:
 * `drover_overhead_median_ms` is the task's time beyond that — what drover itself adds per task
 * (spawn in its own process group, prompt and marker files, the MCP server, the token, the
 * queue's transitions and fsyncs).
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
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

const minimalAgent = new URL('./minimal-agent.mjs', import.meta.url).pathname;

/** The agent alone: a server that answers initialize, the notification and tools/call at once. */
const fakeMcp = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk: Buffer) => (body += chunk.toString()));
  req.on('end', () => {
    const message = JSON.parse(body) as { id?: number };
    if (message.id === undefined) {
      res.writeHead(202).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id: message.id, result: { content: [] } }));
  });
});
await new Promise<void>((resolve) => fakeMcp.listen(0, '127.0.0.1', () => resolve()));
const fakeUrl = `http://127.0.0.1:${(fakeMcp.address() as AddressInfo).port}/mcp`;

async function agentAlone(): Promise<number> {
  const started = performance.now();
  await new Promise<void>((resolve, reject) =>
    spawn(process.execPath, [minimalAgent], { stdio: 'ignore', env: { ...process.env, DROVER_MCP_URL: fakeUrl, DROVER_MCP_TOKEN: 'x' } })
      .once('close', (code) => (code === 0 ? resolve() : reject(new Error(`agent alone exited ${code}`))))
      .once('error', reject),
  );
  return performance.now() - started;
}

// Interleaved, so load on the machine hits both floors alike.
const bare: number[] = [];
const alone: number[] = [];
for (let i = 0; i < tasks; i += 1) {
  bare.push(await bareSpawn());
  alone.push(await agentAlone());
}
fakeMcp.close();

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
const agent = commandAgent({ command: `${process.execPath} ${minimalAgent}` });
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
    agent_alone_median_ms: round(median(alone)),
    drover_overhead_median_ms: round(median(perTask) - median(alone)),
    drover_overhead_target_ms: 20,
    wall_per_task_ms: round(wall / tasks),
  })}\n`,
);
