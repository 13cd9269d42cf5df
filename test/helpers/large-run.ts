import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_LIMITS, drainQueue, FileStore, functionAgent, RunQueue } from '../../src/index.js';

/**
 * A finished run of `size` tasks in a fresh state dir, made with the library as a user's program
 * would: one `explore` task, then the rest seeded together as four types that each depend on it
 * (siblings the dashboard collapses into group nodes above a few hundred nodes). Every 40th task
 * fails. Returns the state dir and the run id.
 */
export async function writeLargeRun(size: number): Promise<{ stateDir: string; runId: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'drover-large-run-'));
  const stateDir = join(dir, '.drover');
  const runId = `large-${size}`;
  const store = new FileStore(stateDir);
  await store.open();
  const policy = { limits: { ...DEFAULT_LIMITS, maxTasks: size, maxChildren: size }, taskTypes: null, sinkTypes: new Set<string>(), defaultMaxAttempts: 1 };
  const queue = await RunQueue.start(store, { runId, installDir: dir, detected: { framework: null, packageManager: null } }, policy);
  await queue.enqueueBatch((add) => {
    const explore = add({ type: 'explore', label: 'Explore the repository', inputs: {}, reason: 'first' });
    for (let i = 1; i < size; i += 1) add({ type: `work-${'abcd'[i % 4]}`, label: `Work item ${i}`, inputs: { i }, dependsOn: [explore], reason: 'fan out' });
  });
  await queue.markSeeded();
  const agent = functionAgent(async (task, context) => {
    const failed = Number(task.inputs['i'] ?? 1) % 40 === 0;
    const result = await context.tools.complete_task({ status: failed ? 'failed' : 'done', handoff: { goal: task.label, did: failed ? 'gave up' : 'did it', forNextAgent: 'nothing' } });
    if (!result.ok) throw new Error(result.message);
  });
  await drainQueue(queue, { agent, installDir: dir, stateDir, concurrency: 8 });
  await queue.close();
  return { stateDir, runId };
}
