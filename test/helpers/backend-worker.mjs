// A worker process for the worker-death trials. It reads run ids on stdin, one a line; for each
// it claims that run's ready tasks from PostgreSQL, "runs" a no-op agent, reports, and prints
// `done <run-id>` once every task of the run is terminal. The trials SIGKILL it at random.
// Usage: node backend-worker.mjs <database-url> <schema> <worker-id> <lease-ms>
import { createInterface } from 'node:readline';
import { PostgresBackend } from '../../dist/backend/postgres/index.js';

const [url, schema, worker, leaseMs] = process.argv.slice(2);
const policy = { limits: { maxTasks: 1000, maxDepth: 4, maxChildren: 20 }, taskTypes: null, sinkTypes: new Set(), defaultMaxAttempts: 2 };
const backend = await PostgresBackend.open(url, { schema, policy, reaperIntervalMs: 50, pollMs: 250, poolSize: 2 });
const terminal = new Set(['done', 'failed', 'skipped', 'blocked']);

async function drain(runId) {
  for (;;) {
    const claimed = await backend.claim({ runId, worker, max: 1, leaseMs: Number(leaseMs) });
    if (claimed.length === 0) {
      const run = await backend.readRun(runId);
      if (run.tasks.every((task) => terminal.has(task.status))) return;
      await backend.waitForWork(250);
      continue;
    }
    for (const attempt of claimed) {
      await new Promise((resolve) => setImmediate(resolve));
      await backend.complete(attempt, 'done', { goal: 'g', did: `by ${worker}`, forNextAgent: 'n' });
      await backend.finishAttempt(attempt, { kind: 'returned' });
    }
  }
}

process.stdout.write('ready\n');
for await (const line of createInterface({ input: process.stdin })) {
  if (line === '') continue;
  await drain(line);
  process.stdout.write(`done ${line}\n`);
}
await backend.close();
