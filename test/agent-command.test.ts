import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyApp, drover, hashTree, isAlive, readJsonLines, REPO_ROOT, startDrover, waitFor } from './helpers/run-cli.js';

const FAKE_AGENT = join(REPO_ROOT, 'test/agents/fake-agent.mjs');
const agentCmd = `node ${FAKE_AGENT}`;

interface Snapshot {
  status: string;
  tasks: Array<{ id: string; type: string; status: string; attempts: number; enqueuedBy: string; error?: { kind: string } }>;
}
const readQueue = async (dir: string): Promise<Snapshot> => JSON.parse(await readFile(join(dir, '.drover', 'queue.json'), 'utf8')) as Snapshot;
const runWith = (dir: string, behaviour: Record<string, string>, extra: string[] = []) =>
  drover(['run', '--install-dir', dir, '--ui', 'plain', '--agent', 'command', '--agent-cmd', agentCmd, ...extra], { FAKE_AGENT_BEHAVIOR: JSON.stringify(behaviour) });

describe('drover run --agent command (a fake agent CLI using the official MCP client)', () => {
  it('drains the example app: one fresh process per task, tools over MCP, dynamic enqueue by the plan agent, logs written, project untouched', async () => {
    const dir = await copyApp(join(REPO_ROOT, 'examples/next-app'));
    const before = await hashTree(dir);
    const result = await runWith(dir, {}, ['--concurrency', '3']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(await hashTree(dir, ['.drover'])).toEqual(before);
    const queue = await readQueue(dir);
    expect(queue.tasks.every((task) => task.status === 'done')).toBe(true);
    const dynamic = queue.tasks.filter((task) => task.enqueuedBy !== 'orchestrator');
    expect(dynamic.map((task) => task.type)).toEqual(['llm-analytics']);
    const logs = await readdir(join(dir, '.drover', 'logs'));
    // The seed task ran the deterministic seeder, not an agent: no log of its own.
    expect(logs.sort()).toEqual(queue.tasks.filter((task) => task.type !== 'seed').map((task) => `${task.id}.log`).sort());
    const pids = new Set<string>();
    for (const log of logs) {
      const text = await readFile(join(dir, '.drover', 'logs', log), 'utf8');
      expect(text).toMatch(/complete_task -> \{"status":"done"\}/);
      pids.add(/pid (\d+)/.exec(text)![1]!);
    }
    expect(pids.size).toBe(logs.length);
    expect(existsSync(join(dir, '.drover', 'mcp')) ? await readdir(join(dir, '.drover', 'mcp')) : []).toEqual([]);
  });

  it('an agent that exits 0 without complete_task, or exits non-zero, is retried and then fails; dependents are blocked; the run still ends (exit 1)', async () => {
    const dir = await copyApp(join(REPO_ROOT, 'test/fixtures/apps/express-app'));
    const result = await runWith(dir, { install: 'never-complete', init: 'exit-nonzero' });
    expect(result.code).toBe(1);
    const queue = await readQueue(dir);
    const byType = Object.fromEntries(queue.tasks.map((task) => [task.type, task]));
    expect(byType.install).toMatchObject({ status: 'failed', attempts: 2, error: { kind: 'no-report' } });
    expect(byType.init).toMatchObject({ status: 'failed', attempts: 2, error: { kind: 'crashed' } });
    expect(byType.plan?.status).toBe('done');
    expect(byType.instrument?.status).toBe('blocked');
    expect(byType.report?.status).toBe('blocked');
    expect(queue.status).toBe('failed');
  });

  it('a hung agent is killed at --task-timeout, with its whole process group', async () => {
    const dir = await copyApp(join(REPO_ROOT, 'test/fixtures/apps/flask-app'));
    const result = await runWith(dir, { init: 'hang' }, ['--task-timeout', '3s', '--max-attempts', '1']);
    expect(result.code).toBe(1);
    const queue = await readQueue(dir);
    const init = queue.tasks.find((task) => task.type === 'init')!;
    expect(init).toMatchObject({ status: 'failed', error: { kind: 'timeout' } });
    const log = await readFile(join(dir, '.drover', 'logs', `${init.id}.log`), 'utf8');
    const pid = Number(/pid (\d+)/.exec(log)![1]);
    const child = Number(/child pid (\d+)/.exec(log)![1]);
    expect(isAlive(pid)).toBe(false);
    // The agent's own child, orphaned when the agent died, is gone too (once init reaps it).
    await waitFor(async () => !isAlive(child));
  });

  it('an agent that leaves a daemon holding its output does not hold up the run', async () => {
    const dir = await copyApp(join(REPO_ROOT, 'test/fixtures/apps/flask-app'));
    const result = await runWith(dir, { install: 'daemon' });
    expect(result.code).toBe(0);
    const queue = await readQueue(dir);
    const install = queue.tasks.find((task) => task.type === 'install')!;
    expect(install).toMatchObject({ status: 'done', attempts: 1 });
    const log = await readFile(join(dir, '.drover', 'logs', `${install.id}.log`), 'utf8');
    process.kill(Number(/daemon pid (\d+)/.exec(log)![1]), 'SIGKILL');
  });

  it('Ctrl-C twice (forced stop) kills agent process groups that ignore SIGTERM', async () => {
    const dir = await copyApp(join(REPO_ROOT, 'test/fixtures/apps/express-app'));
    const run = startDrover(['run', '--install-dir', dir, '--ui', 'plain', '--agent', 'command', '--agent-cmd', agentCmd], { FAKE_AGENT_BEHAVIOR: JSON.stringify({ '*': 'stubborn' }) });
    const logFile = join(dir, '.drover', 'logs', 'install-1.log');
    await waitFor(async () => existsSync(logFile) && /ignoring SIGTERM/.test(await readFile(logFile, 'utf8')));
    run.child.kill('SIGINT');
    await waitFor(async () => (await readFile(logFile, 'utf8')).includes('fake-agent: ignoring SIGTERM\n'));
    run.child.kill('SIGINT');
    const ended = await run.done;
    expect(ended.code).toBe(130);
    const pid = Number(/pid (\d+)/.exec(await readFile(logFile, 'utf8'))![1]);
    await waitFor(async () => !isAlive(pid));
    expect(isAlive(pid)).toBe(false);
  });

  it('an agent that enqueues in a loop hits the guards, and one that completes twice keeps its first result', async () => {
    const dir = await copyApp(join(REPO_ROOT, 'test/fixtures/apps/vue-app'));
    const result = await runWith(dir, { plan: 'enqueue-loop', install: 'complete-twice' }, ['--concurrency', '4']);
    const queue = await readQueue(dir);
    expect(queue.tasks.length).toBeLessThan(40);
    expect(queue.tasks.find((task) => task.type === 'install')).toMatchObject({ status: 'done', attempts: 1 });
    const audit = await readJsonLines(join(dir, '.drover', 'audit.jsonl'));
    const guards = audit.filter((event) => event.event === 'guard-tripped').map((event) => event.guard);
    expect(guards).toEqual(expect.arrayContaining(['already-completed']));
    expect(guards.some((guard) => guard === 'max-children' || guard === 'queue-full' || guard === 'duplicate' || guard === 'not-allowed')).toBe(true);
    expect(result.code).toBe(0);
  });

  it('--seed agent gives the seed prompt to the command, which plans the graph with an enqueue-only token', async () => {
    const dir = await copyApp(join(REPO_ROOT, 'examples/next-app'));
    const result = await runWith(dir, {}, ['--seed', 'agent']);
    expect(result.code).toBe(0);
    const queue = await readQueue(dir);
    expect(queue.tasks.filter((task) => task.enqueuedBy === 'orchestrator').map((task) => task.type)).toEqual(['seed', 'install', 'plan', 'report']);
    // The seed agent ran as the seed task's attempt: its log is that task's.
    expect(await readFile(join(dir, '.drover', 'logs', 'seed.log'), 'utf8')).toMatch(/enqueue_task/);
    expect(queue.tasks.every((task) => task.status === 'done')).toBe(true);
  });
});
