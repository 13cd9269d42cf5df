// A real drover process for the crash tests: starts (or resumes) a run on a file store and
// drains a seeded random DAG with an in-process agent. The test kills it with SIGKILL at
// random points and checks that every resumed run finishes with nothing lost or repeated.
import { setTimeout as sleep } from 'node:timers/promises';
// The narrow entry points, not dist/index.js: each trial starts many processes, and the whole
// library (MCP SDK, programs) would triple their start-up for nothing.
import { functionAgent } from '../../dist/agents/function-agent.js';
import { RunQueue } from '../../dist/backend/local/run-queue.js';
import { drainQueue } from '../../dist/runner/drain-queue.js';
import { DEFAULT_LIMITS } from '../../dist/queue/index.js';
import { FileStore } from '../../dist/store/index.js';

const [stateDir, taskCountText, seedText] = process.argv.slice(2);
const taskCount = Number(taskCountText);
let seed = Number(seedText);
const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const policy = { limits: { ...DEFAULT_LIMITS, maxTasks: 10_000 }, taskTypes: null, sinkTypes: new Set(), defaultMaxAttempts: 3 };

const store = new FileStore(stateDir, { snapshotEvery: 8, snapshotIntervalMs: 5 });
const stored = await store.open();
const queue =
  stored === undefined
    ? await RunQueue.start(store, { runId: `crash-${seedText}`, installDir: stateDir, detected: { framework: null, packageManager: null } }, policy)
    : await RunQueue.resume(store, stored.state, policy);
if (!queue.state.meta.seeded) {
  // Seeding is idempotent: a re-seed after a crash reuses the tasks already enqueued.
  const ids = [];
  for (let i = 0; i < taskCount; i += 1) {
    const dependsOn = ids.filter(() => random() < 0.15).slice(-3);
    const result = await queue.ensure({ type: `work-${i}`, reason: 'crash test', dependsOn });
    ids.push(result.value.id);
  }
  await queue.markSeeded();
}
const agent = functionAgent(async (task, context) => {
  await sleep(Math.floor(random() * 4));
  const result = await context.tools.complete_task({ status: 'done', handoff: { goal: task.label, did: 'nothing', forNextAgent: 'nothing' } });
  if (!result.ok) throw new Error(result.message);
});
const verdict = await drainQueue(queue, { agent, installDir: stateDir, stateDir, concurrency: 3 });
await queue.close();
process.stdout.write(`${JSON.stringify({ verdict: verdict.status })}\n`);
