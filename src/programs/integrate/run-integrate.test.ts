import { cp, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { functionAgent } from '../../agents/function-agent.js';
import type { QueueEvent } from '../../queue/events.js';
import { integrateSeed, runIntegrate } from './run-integrate.js';
import { loadProgramPrompts } from '../prepare-task.js';
import type { SeedOperations } from '../../tools/seed-operations.js';

const fixture = new URL('../../../test/fixtures/apps/sveltekit-app', import.meta.url).pathname;

async function appCopy(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'drover-integrate-'));
  await cp(fixture, dir, { recursive: true });
  return dir;
}

describe('runIntegrate --seed agent', () => {
  it('gives the seed prompt to the agent, which plans the graph with enqueue_task (orchestrator rights only)', async () => {
    const installDir = await appCopy();
    const seen: { seedPrompt?: string; seedComplete?: unknown } = {};
    const agent = functionAgent(async (task, context) => {
      if (task.type === 'seed') {
        seen.seedPrompt = context.prompt;
        seen.seedComplete = await context.tools.complete_task({ status: 'done', handoff: { goal: 'g', did: 'd', forNextAgent: 'n' } });
        const install = await context.tools.enqueue_task({ type: 'install', label: 'Install', inputs: { framework: 'sveltekit' }, reason: 'sdk' });
        const init = await context.tools.enqueue_task({ type: 'init', reason: 'client' });
        if (!install.ok || !init.ok) throw new Error('enqueue refused');
        await context.tools.enqueue_task({ type: 'report', dependsOn: [install.value.id, init.value.id], reason: 'sum up' });
        return;
      }
      await context.tools.complete_task({ status: 'done', handoff: { goal: task.label, did: 'nothing', forNextAgent: 'nothing' } });
    });
    const events: QueueEvent[] = [];
    const result = await runIntegrate({ installDir, agent, seed: 'agent', stubPrompts: true, observers: [{ onEvent: (event) => events.push(event) }] });
    expect(result.exitCode).toBe(0);
    expect(seen.seedPrompt).toContain('sveltekit');
    expect(seen.seedComplete).toMatchObject({ ok: false, guard: 'not-allowed' });
    const enqueued = events.filter((event) => event.event === 'task-enqueued');
    // The seed step is the run's first task; what it enqueues keeps its ids and is the orchestrator's (depth 0).
    expect(enqueued.map((event) => event.task.id)).toEqual(['seed', 'install-1', 'init-2', 'report-3']);
    expect(enqueued.every((event) => event.task.enqueuedBy === 'orchestrator' && event.task.depth === 0)).toBe(true);
    // The sink waits for the seed step too; the seed task's completion and run-seeded are one commit, in that order.
    expect(enqueued.at(-1)!.task.dependsOn).toEqual(['install-1', 'init-2', 'seed']);
    const names = events.map((event) => (event.event === 'task-completed' ? `${event.event} ${event.taskId}` : event.event));
    expect(names.indexOf('run-seeded')).toBe(names.indexOf('task-completed seed') + 1);
    expect(result.state.meta.seeded).toBe(true);
    expect(await readFile(join(installDir, '.drover', 'prompts', 'seed.md'), 'utf8')).toContain('enqueue_task');
  });

  it('a seed that enqueues no task fails the run (exit 1, verdict failed, recorded), never "0/0 done"', async () => {
    const installDir = await appCopy();
    const agent = functionAgent(async () => {});
    const events: QueueEvent[] = [];
    const result = await runIntegrate({ installDir, agent, seed: 'agent', stubPrompts: true, observers: [{ onEvent: (event) => events.push(event) }] });
    expect(result.exitCode).toBe(1);
    expect(result.verdict.status).toBe('failed');
    expect(events.at(-1)).toMatchObject({ event: 'run-finished', verdict: 'failed', failed: [], blocked: [] });
  });
});

describe('runIntegrate --seed explorer', () => {
  it('warns when the exploration was cut short, naming the limit, and still seeds the run', async () => {
    const installDir = await appCopy();
    const agent = functionAgent(async (task, context) => {
      await context.tools.complete_task({ status: 'done', handoff: { goal: task.label, did: 'nothing', forNextAgent: 'nothing' } });
    });
    const notices: string[] = [];
    const result = await runIntegrate({ installDir, agent, stubPrompts: true, explore: { maxFiles: 2 }, observers: [{ onNotice: (message) => notices.push(message) }] });
    expect(result.exitCode).toBe(0);
    expect(notices).toEqual([`exploring ${installDir} stopped early (max-files) after 2 files: the entry points and candidates given to the plan may be partial`]);
  });

  it('says plainly that a workspace of packages is a library, naming its example apps', async () => {
    const installDir = await mkdtemp(join(tmpdir(), 'drover-integrate-'));
    await cp(new URL('../../../test/fixtures/workspaces/library', import.meta.url).pathname, installDir, { recursive: true });
    const agent = functionAgent(async (task, context) => {
      await context.tools.complete_task({ status: 'done', handoff: { goal: task.label, did: 'nothing', forNextAgent: 'nothing' } });
    });
    const notices: string[] = [];
    const result = await runIntegrate({ installDir, agent, stubPrompts: true, explore: { timeBudgetMs: 600_000 }, observers: [{ onNotice: (message) => notices.push(message) }] });
    expect(result.exitCode).toBe(0);
    expect(notices).toEqual([`${installDir} looks like a library: a workspace of 4 packages (npm-workspaces) with no app; its example apps are examples/next-chat (choose one with --app DIR)`]);
  });

  it('says nothing when the exploration saw the whole app', async () => {
    const installDir = await appCopy();
    const agent = functionAgent(async (task, context) => {
      await context.tools.complete_task({ status: 'done', handoff: { goal: task.label, did: 'nothing', forNextAgent: 'nothing' } });
    });
    // A budget no load can spend, so the test does not depend on the machine's speed.
    const notices: string[] = [];
    await runIntegrate({ installDir, agent, stubPrompts: true, explore: { timeBudgetMs: 600_000 }, observers: [{ onNotice: (message) => notices.push(message) }] });
    expect(notices).toEqual([]);
  });
});

describe('integrateSeed', () => {
  it('stopped while exploring seeds nothing: a graph from a cut exploration would not match the next attempt\'s (a second plan task, not a twin)', async () => {
    const installDir = await appCopy();
    const stop = new AbortController();
    stop.abort();
    const batches: unknown[] = [];
    const queue = { enqueueBatch: async (build: unknown) => batches.push(build) } as unknown as SeedOperations;
    const seed = integrateSeed({ agent: functionAgent(async () => {}), prompts: await loadProgramPrompts({ stub: true }) });
    await seed(queue, { installDir, stateDir: join(installDir, '.drover'), detected: { framework: 'sveltekit', packageManager: 'npm' }, createdAt: new Date().toISOString(), mcp: undefined, signal: stop.signal });
    expect(batches).toEqual([]);
  });
});
