import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { QueueEvent } from '../src/queue/index.js';
import { httpGet } from './helpers/dashboard-client.js';
import { openTestBackend, randomSchema, readRunEvents, storeUrl } from './helpers/postgres.js';
import { copyApp, drover, hangingAgentPid, isAlive, isRunning, REPO_ROOT, startDrover, type StartedDrover, waitFor } from './helpers/run-cli.js';

/**
 * The seed step is a task (issue 11): on `--store` it is claimed, leased, heartbeaten, stopped
 * and given back like any task, by real processes. A dashboard cancel stops a seed agent; a
 * `drover run --store` stopped (or killed) while seeding leaves the seed task to any
 * `drover worker`, which (killing a dead predecessor's seed agent first) seeds and finishes the
 * run; and `drover run --plan --store` executes a fanout plan as tasks in PostgreSQL.
 */
const FAKE_AGENT = join(REPO_ROOT, 'test/agents/fake-agent.mjs');
const agent = ['--agent', 'command', '--agent-cmd', `node ${FAKE_AGENT}`];
const APP = join(REPO_ROOT, 'test/fixtures/apps/express-app');

const schemas: string[] = [];
const children: StartedDrover[] = [];
const pids: number[] = [];
afterEach(async () => {
  for (const started of children.splice(0)) if (started.child.exitCode === null && started.child.signalCode === null) started.child.kill('SIGKILL');
  for (const pid of pids.splice(0)) if (isAlive(pid)) try { process.kill(-pid, 'SIGKILL'); } catch { // its group is gone already
    }
  for (const schema of schemas.splice(0)) await (await openTestBackend(schema)).dropSchema();
});

function newStore(): { url: string; schema: string } {
  const schema = randomSchema();
  schemas.push(schema);
  return { url: storeUrl(schema), schema };
}

/** The id of the one run in the schema, once it exists. */
async function onlyRun(schema: string): Promise<string> {
  let runId = '';
  await waitFor(async () => {
    const backend = await openTestBackend(schema);
    try {
      runId = (await backend.listRuns())[0]?.runId ?? '';
    } finally {
      await backend.close();
    }
    return runId !== '';
  });
  return runId;
}

/** The hanging fake agent's pid under `dir` (its group is killed after the test). */
async function hangingAgent(dir: string): Promise<number> {
  const pid = await hangingAgentPid(dir);
  pids.push(pid);
  return pid;
}

function countOf(events: readonly QueueEvent[], name: QueueEvent['event'], taskId?: string): number {
  return events.filter((event) => event.event === name && (taskId === undefined || ('taskId' in event && event.taskId === taskId))).length;
}

describe('the seed task on PostgreSQL (--store), with real processes', () => {
  it('a dashboard cancel while the seed agent runs stops it (the lease is dropped) and the run ends cancelled (exit 5)', async () => {
    const { url, schema } = newStore();
    const dir = await copyApp(APP);
    const run = startDrover(['run', '--install-dir', dir, '--ui', 'plain', '--no-telemetry', '--seed', 'agent', '--store', url, '--lease', '2s', ...agent, '--dashboard', '--allow-actions'], { FAKE_AGENT_BEHAVIOR: JSON.stringify({ seed: 'hang' }) });
    children.push(run);
    let stderr = '';
    run.child.stderr!.on('data', (chunk) => (stderr += chunk));
    await waitFor(async () => /dashboard at http/.test(stderr));
    const [, base, token] = /dashboard at (http:\/\/127\.0\.0\.1:\d+)\/\?token=(\S+)/.exec(stderr)!;
    const seedPid = await hangingAgent(join(dir, '.drover'));
    const runId = await onlyRun(schema);
    const cancelled = await httpGet(`${base}/api/runs/${runId}/cancel`, { Authorization: `Bearer ${token}`, Origin: base! }, 'POST');
    expect(cancelled.status, cancelled.body).toBe(200);
    const ended = await run.done;
    expect(ended.code, ended.stderr).toBe(5);
    await waitFor(async () => !isRunning(seedPid));
    const events = await readRunEvents(schema, runId);
    expect(events.at(-1)).toMatchObject({ event: 'run-finished', verdict: 'cancelled' });
    expect(countOf(events, 'run-seeded')).toBe(0);
  });

  it('drover run --store stopped (Ctrl-C) while seeding gives the seed attempt back; a drover worker seeds the run and finishes it', async () => {
    const { url, schema } = newStore();
    const dir = await copyApp(APP);
    const run = startDrover(['run', '--install-dir', dir, '--ui', 'plain', '--no-telemetry', '--seed', 'agent', '--store', url, ...agent], { FAKE_AGENT_BEHAVIOR: JSON.stringify({ seed: 'hang' }) });
    children.push(run);
    const seedPid = await hangingAgent(join(dir, '.drover'));
    const runId = await onlyRun(schema);
    run.child.kill('SIGINT');
    const stopped = await run.done;
    expect(stopped.code, stopped.stderr).toBe(130);
    await waitFor(async () => !isRunning(seedPid));
    const before = await readRunEvents(schema, runId);
    expect(before.find((event) => event.event === 'task-requeued' && event.taskId === 'seed')).toMatchObject({ error: { kind: 'interrupted' } });

    // Another checkout, another state dir: the seed task carries what the seed step needs.
    const workdir = await copyApp(APP);
    const stateDir = await mkdtemp(join(tmpdir(), 'drover-seed-worker-'));
    const worker = startDrover(['worker', '--store', url, '--run', runId, '--workdir', workdir, '--state-dir', stateDir, ...agent]);
    children.push(worker);
    const done = await worker.done;
    expect(done.code, done.stderr).toBe(0);
    expect(done.stderr).toMatch(/is not seeded yet: its seed task runs on the first worker to claim it/);
    expect(done.stdout).toMatch(/started seed \(seed\) attempt 1/);
    const events = await readRunEvents(schema, runId);
    expect(countOf(events, 'task-completed', 'seed')).toBe(1);
    expect(countOf(events, 'run-seeded')).toBe(1);
    // The seed agent (run by the worker, in its own checkout) planned install, plan and report; the plan task may add more.
    const types = events.flatMap((event) => (event.event === 'task-enqueued' ? [event.task.type] : []));
    expect(types.slice(0, 4)).toEqual(['seed', 'install', 'plan', 'report']);
    expect(events.at(-1)).toMatchObject({ event: 'run-finished', verdict: 'done' });
    // The seed agent's prompt is stored with the attempt, as every task's is: status --task seed shows it from anywhere.
    const status = await drover(['status', '--store', url, '--run', runId, '--task', 'seed', '--json']);
    expect((JSON.parse(status.stdout) as { prompt: string }).prompt).toMatch(/- framework: express[\s\S]*# Plan the PostHog integration/);
  });

  it('drover run --store killed (SIGKILL) while its seed agent runs: a drover worker on its state dir kills that agent, takes the seed task once its lease ends, and finishes the run', async () => {
    const { url, schema } = newStore();
    const dir = await copyApp(APP);
    const run = startDrover(['run', '--install-dir', dir, '--ui', 'plain', '--no-telemetry', '--seed', 'agent', '--store', url, '--lease', '2s', ...agent], { FAKE_AGENT_BEHAVIOR: JSON.stringify({ seed: 'hang' }) });
    children.push(run);
    const seedPid = await hangingAgent(join(dir, '.drover'));
    const runId = await onlyRun(schema);
    run.child.kill('SIGKILL');
    await run.done;
    expect(isRunning(seedPid)).toBe(true); // the dead drover's seed agent goes on, as a real one would
    const worker = startDrover(['worker', '--store', url, '--run', runId, '--workdir', dir, '--state-dir', join(dir, '.drover'), '--lease', '2s', ...agent]);
    children.push(worker);
    await worker.stdoutMatches(/killed 1 agent process group\(s\) a stopped worker left running/);
    expect(isRunning(seedPid)).toBe(false);
    const done = await worker.done;
    expect(done.code, done.stderr).toBe(0);
    const events = await readRunEvents(schema, runId);
    // The dead process's lease ran out and the reaper gave the seed back: no attempt of its own lost.
    expect(events.find((event) => event.event === 'task-requeued' && event.taskId === 'seed')).toMatchObject({ error: { kind: 'interrupted', message: expect.stringMatching(/lease of worker .* expired/) as unknown } });
    expect(countOf(events, 'task-completed', 'seed')).toBe(1);
    expect(countOf(events, 'run-seeded')).toBe(1);
    expect(events.at(-1)).toMatchObject({ event: 'run-finished', verdict: 'done' });
  });

  it('drover run --plan --store executes the fanout plan as tasks in PostgreSQL and writes the records', async () => {
    const { url, schema } = newStore();
    const dir = await mkdtemp(join(tmpdir(), 'drover-fanout-store-'));
    const request = (id: string, dependsOn?: string[]) => ({ id, group_key: id, instructions: `Do ${id}.`, ...(dependsOn === undefined ? {} : { depends_on: dependsOn }) });
    const plan = { schema: 'homeboy/fanout-reconcile-plan/v1', groups: [], task_requests: [request('a'), request('b', ['a']), request('f'), request('g', ['f'])] };
    await writeFile(join(dir, 'plan.json'), JSON.stringify(plan));
    const run = await drover(['run', '--plan', join(dir, 'plan.json'), '--records-out', join(dir, 'records.json'), ...agent, '--install-dir', dir, '--ui', 'plain', '--max-attempts', '1', '--store', url], {
      FAKE_AGENT_BEHAVIOR: JSON.stringify({ 'fanout-task-3': 'fail' }),
    });
    expect(run.code, run.stderr).toBe(1);
    const runId = /ran run (\S+)/.exec(run.stdout)![1]!;
    // Seeded alone, its tasks would go to drover workers, which have the integration prompts only: refused.
    const seedOnly = await drover(['run', '--plan', join(dir, 'plan.json'), '--records-out', join(dir, 'other.json'), ...agent, '--install-dir', dir, '--store', url, '--seed-only']);
    expect(seedOnly.code).toBe(2);
    expect(seedOnly.stderr).toBe("drover: --plan with --seed-only: drover worker cannot run a fanout plan's tasks yet; run it without --seed-only\n");
    const records = JSON.parse(await readFile(join(dir, 'records.json'), 'utf8')) as Array<{ id: string; status: string; outcome: { status: string } }>;
    expect(records.map((record) => [record.id, record.status, record.outcome.status])).toEqual([
      ['a', 'completed', 'succeeded'],
      ['b', 'completed', 'succeeded'],
      ['f', 'failed', 'failed'],
      ['g', 'failed', 'cancelled'],
    ]);
    const events = await readRunEvents(schema, runId);
    expect(events.filter((event) => event.event === 'task-enqueued').map((event) => event.event === 'task-enqueued' && [event.taskId, event.task.dependsOn])).toEqual([
      ['seed', []],
      ['fanout-task-1', []],
      ['fanout-task-2', ['fanout-task-1']],
      ['fanout-task-3', []],
      ['fanout-task-4', ['fanout-task-3']],
    ]);
    // The seed task is pinned to the process that read the plan: its seeder names the plan's digest.
    const seed = events.find((event) => event.event === 'task-enqueued' && event.taskId === 'seed');
    expect(seed).toMatchObject({ task: { inputs: { seeder: expect.stringMatching(/^fanout:[0-9a-f]{16}$/) as unknown, plan: 'plan.json', requests: 4 } } });
    expect(events.at(-1)).toMatchObject({ event: 'run-finished', verdict: 'failed' });
    // b's prompt (saved with the attempt, in the database) carries a's handoff.
    const status = await drover(['status', '--store', url, '--run', runId, '--task', 'fanout-task-2', '--json']);
    expect((JSON.parse(status.stdout) as { prompt: string }).prompt).toMatch(/fanout-task-1[\s\S]*Ran as a fake agent/);
  });
});
