import { describe, expect, it } from 'vitest';
import { functionAgent } from '../../agents/function-agent.js';
import { MemoryStore, TEST_POLICY } from '../../testing/index.js';
import { drainQueue } from '../../runner/drain-queue.js';
import { RunQueue } from './run-queue.js';

const run = { runId: 'r', installDir: '/app', detected: { framework: null, packageManager: null } };
const orchestrator = { kind: 'orchestrator' } as const;

describe('RunQueue.recover', () => {
  it("gives back the attempt of a task that was running when drover died: with maxAttempts 1 the task still runs after resume", async () => {
    const first = new MemoryStore();
    await first.open();
    const policy = { ...TEST_POLICY, defaultMaxAttempts: 1 };
    const queue = await RunQueue.start(first, run, policy);
    const a = await queue.enqueue({ type: 'install', reason: 'r' }, orchestrator);
    if (!a.ok) throw new Error(a.message);
    await queue.markStarted(a.value.id);
    // drover dies here: the log says `install` is running, attempt 1 of 1.
    const resumed = await RunQueue.resume(first, queue.state, policy);
    expect(resumed.state.tasks.get(a.value.id)).toMatchObject({ status: 'pending', attempts: 0, error: { kind: 'interrupted' } });
    const verdict = await drainQueue(resumed, {
      agent: functionAgent(async (_task, context) => {
        await context.tools.complete_task({ status: 'done', handoff: { goal: 'g', did: 'd', forNextAgent: 'n' } });
      }),
      installDir: '/app',
      stateDir: '/tmp/unused',
    });
    expect(verdict.status).toBe('done');
    expect(resumed.state.tasks.get(a.value.id)).toMatchObject({ status: 'done', attempts: 1 });
  });
});
