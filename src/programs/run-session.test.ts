import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { functionAgent } from '../agents/function-agent.js';
import type { QueueEvent } from '../queue/events.js';
import { loadProgramPrompts } from './prepare-task.js';
import { runSession, type ProgramDefinition } from './run-session.js';
import { enqueuePolicy } from './enqueue-policy.js';
import { RunQueue } from '../backend/local/run-queue.js';
import { FileStore } from '../store/file/file-store.js';
import { resolveStateDir } from '../util/state-dir.js';

/** A program whose seed step enqueues `a` and `b` in one batch, then (when told to) waits until it is stopped. */
async function program(stopAfterEnqueue: () => AbortController | undefined, seen: string[][]): Promise<ProgramDefinition> {
  return {
    name: 'test-seed',
    prompts: await loadProgramPrompts({ stub: true }),
    detect: async () => ({ framework: null, packageManager: null }),
    async seed(queue, where) {
      seen.push(
        await queue.enqueueBatch((add) => {
          const install = add({ type: 'install', inputs: { n: 1 }, reason: 'r' });
          return [install, add({ type: 'report', inputs: {}, dependsOn: [install], reason: 'r' })];
        }),
      );
      const stop = stopAfterEnqueue();
      if (stop === undefined) return;
      // Stopped mid-seed (Ctrl-C): the seed attempt's signal fires; the step returns without finishing.
      stop.abort();
      await new Promise((resolve) => where.signal!.addEventListener('abort', resolve, { once: true }));
    },
  };
}

describe('runSession: the seed step is the run\'s seed task', () => {
  it('a run stopped mid-seed resumes by running the seed task again: its attempt was given back, and nothing is enqueued twice', async () => {
    const installDir = await mkdtemp(join(tmpdir(), 'drover-seed-resume-'));
    const seen: string[][] = [];
    const agent = functionAgent(async (task, context) => {
      await context.tools.complete_task({ status: 'done', handoff: { goal: task.label, did: 'nothing', forNextAgent: 'nothing' } });
    });
    const first = new AbortController();
    const events: QueueEvent[] = [];
    const observers = [{ onEvent: (event: QueueEvent) => events.push(event) }];
    const stopped = await runSession({ installDir, agent, signal: first.signal, observers }, await program(() => first, seen));
    expect(stopped.verdict.status).toBe('interrupted');
    expect(stopped.exitCode).toBe(130);
    expect(stopped.state.meta.seeded).toBe(false);
    expect(stopped.state.tasks.get('seed')).toMatchObject({ status: 'pending', attempts: 0 });

    const resumed = await runSession({ installDir, agent, resume: 'resume', observers }, await program(() => undefined, seen));
    expect(resumed.exitCode).toBe(0);
    expect(resumed.verdict.status).toBe('done');
    // The second attempt's batch found the first one's tasks (live twins): the same ids, each enqueued once.
    expect(seen).toEqual([['install-1', 'report-2'], ['install-1', 'report-2']]);
    expect(events.filter((event) => event.event === 'task-enqueued').map((event) => event.event === 'task-enqueued' && event.taskId)).toEqual(['seed', 'install-1', 'report-2']);
    expect(events.filter((event) => event.event === 'task-started' && event.taskId === 'seed').map((event) => event.event === 'task-started' && event.attempt)).toEqual([1, 1]);
    expect(events.filter((event) => event.event === 'run-seeded')).toHaveLength(1);
    expect(resumed.state.tasks.get('report-2')!.dependsOn).toEqual(['install-1', 'seed']);
  });

  it('a seed step that throws fails the seed task (after its attempts) and the run, with its reason', async () => {
    const installDir = await mkdtemp(join(tmpdir(), 'drover-seed-fails-'));
    const agent = functionAgent(async () => {});
    const failing: ProgramDefinition = {
      name: 'test-seed',
      prompts: await loadProgramPrompts({ stub: true }),
      detect: async () => ({ framework: null, packageManager: null }),
      async seed() {
        throw new Error('the plan file is unreadable');
      },
    };
    const result = await runSession({ installDir, agent, maxAttempts: 2 }, failing);
    expect(result.exitCode).toBe(1);
    expect(result.verdict).toMatchObject({ status: 'failed', failed: ['seed'] });
    expect(result.state.tasks.get('seed')).toMatchObject({ status: 'failed', attempts: 2, error: { message: expect.stringContaining('the plan file is unreadable') } });
  });

  it('resumes a run stopped mid-seed before the seed was a task: its final task, already enqueued, waits for the new seed task', async () => {
    const installDir = await mkdtemp(join(tmpdir(), 'drover-seed-old-'));
    const prompts = await loadProgramPrompts({ stub: true });
    // The old scheme: run-started with no seed task, the seed step's first enqueues (the final report among them), no run-seeded.
    const store = new FileStore(resolveStateDir(installDir));
    await store.open();
    const old = new RunQueue(store, (await import('../queue/queue-state.js')).emptyQueueState(), enqueuePolicy(prompts));
    await old.begin({ runId: 'old-run', installDir, detected: { framework: null, packageManager: null } });
    await old.enqueueBatch((add) => {
      const install = add({ type: 'install', inputs: { n: 1 }, reason: 'r' });
      return add({ type: 'report', inputs: {}, dependsOn: [install], reason: 'r' });
    });
    await store.close(old.state);

    // The re-run seed step enqueues what it had not reached before the stop.
    const reseed: ProgramDefinition = {
      name: 'test-seed',
      prompts,
      detect: async () => ({ framework: null, packageManager: null }),
      async seed(queue) {
        await queue.enqueueBatch((add) => {
          const install = add({ type: 'install', inputs: { n: 1 }, reason: 'r' });
          add({ type: 'report', inputs: {}, dependsOn: [install], reason: 'r' });
          add({ type: 'install', inputs: { n: 2 }, reason: 'r' });
        });
      },
    };
    const order: string[] = [];
    const agent = functionAgent(async (task, context) => {
      order.push(task.id);
      await context.tools.complete_task({ status: 'done', handoff: { goal: task.label, did: 'nothing', forNextAgent: 'nothing' } });
    });
    const resumed = await runSession({ installDir, agent, resume: 'resume' }, reseed);
    expect(resumed.verdict.status).toBe('done');
    expect([...resumed.state.tasks.keys()].sort()).toEqual(['install-1', 'install-3', 'report-2', 'seed']);
    // The report runs last: after the seed step and after what it enqueued.
    expect(order.at(-1)).toBe('report-2');
    expect(resumed.state.tasks.get('report-2')!.dependsOn).toEqual(expect.arrayContaining(['install-1', 'seed', 'install-3']));
  });
});
