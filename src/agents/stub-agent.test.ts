import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { drainQueue } from '../runner/drain-queue.js';
import { RunQueue } from '../backend/local/run-queue.js';
import { MemoryStore, TEST_POLICY } from '../testing/index.js';
import { stubAgent } from './stub-agent.js';

describe('stubAgent', () => {
  it('a follow-up enqueue that is refused fails the task where it is seen, never a silent drop', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'drover-stub-'));
    const store = new MemoryStore();
    await store.open();
    const queue = await RunQueue.start(store, { runId: 'r', installDir: '/app', detected: { framework: null, packageManager: null } }, TEST_POLICY);
    const plan = await queue.enqueue({ type: 'plan', reason: 'r' }, { kind: 'orchestrator' });
    if (!plan.ok) throw new Error(plan.message);
    const agent = stubAgent({ followUps: () => [{ type: 'llm-analytics', dependsOn: ['no-such-task'], reason: 'r' }] });
    const verdict = await drainQueue(queue, { agent, installDir: '/app', stateDir });
    expect(verdict.status).toBe('failed');
    const task = queue.state.tasks.get(plan.value.id)!;
    expect(task).toMatchObject({ status: 'failed', error: { kind: 'agent-failed' } });
    expect(task.error?.message).toContain('The "llm-analytics" follow-up was not added: dependsOn names tasks that do not exist');
  });
});
