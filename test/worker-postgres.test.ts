import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { QueueEvent } from '../src/queue/index.js';
import { openTestBackend, randomSchema, readRunEvents, storeUrl } from './helpers/postgres.js';
import { copyApp, drover, isRunning, REPO_ROOT, startDrover, type StartedDrover, waitFor } from './helpers/run-cli.js';

/**
 * PostgreSQL runs end to end, from the CLI, with real agent processes talking MCP over HTTP:
 * `drover run --store`, `drover worker` processes that share only the database URL (separate
 * workdirs and state dirs), a worker SIGKILLed mid-attempt, and `drover status --store`.
 */
const FAKE_AGENT = join(REPO_ROOT, 'test/agents/fake-agent.mjs');
const agent = ['--agent', 'command', '--agent-cmd', `node ${FAKE_AGENT}`];
const APP = join(REPO_ROOT, 'examples/next-app');

const schemas: string[] = [];
const children: StartedDrover[] = [];
afterEach(async () => {
  for (const started of children.splice(0)) if (started.child.exitCode === null && started.child.signalCode === null) started.child.kill('SIGKILL');
  for (const schema of schemas.splice(0)) await (await openTestBackend(schema)).dropSchema();
});

function newStore(): { url: string; schema: string } {
  const schema = randomSchema();
  schemas.push(schema);
  return { url: storeUrl(schema), schema };
}

/** Each task's completions, from the run's events. */
function completions(events: readonly QueueEvent[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const event of events) if (event.event === 'task-completed') out.set(event.taskId, (out.get(event.taskId) ?? 0) + 1);
  return out;
}

function enqueued(events: readonly QueueEvent[]): string[] {
  return events.flatMap((event) => (event.event === 'task-enqueued' ? [event.taskId] : []));
}

async function seedOnly(url: string, dir: string): Promise<string> {
  const seeded = await drover(['run', '--install-dir', dir, '--ui', 'plain', '--store', url, '--seed-only', ...agent]);
  expect(seeded.stderr).toBe('');
  expect(seeded.code).toBe(0);
  return /seeded run (\S+):/.exec(seeded.stdout)![1]!;
}

function startWorker(url: string, runId: string, env: NodeJS.ProcessEnv, extra: string[] = []): Promise<{ started: StartedDrover; workdir: string; stateDir: string }> {
  return (async () => {
    const workdir = await copyApp(APP);
    const stateDir = await mkdtemp(join(tmpdir(), 'drover-worker-state-'));
    const started = startDrover(['worker', '--store', url, '--run', runId, '--workdir', workdir, '--state-dir', stateDir, ...agent, ...extra], env);
    children.push(started);
    return { started, workdir, stateDir };
  })();
}

describe('drover on PostgreSQL (--store), end to end', () => {
  it('drover run --store completes a run whose agents enqueue follow-ups and read handoffs; status --store --json shows it from another directory', async () => {
    const { url, schema } = newStore();
    const dir = await copyApp(APP);
    const result = await drover(['run', '--install-dir', dir, '--ui', 'plain', '--store', url, '--concurrency', '2', ...agent], { FAKE_AGENT_READ_HANDOFFS: '1' });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const runId = /ran run (\S+)/.exec(result.stdout)![1]!;
    const events = await readRunEvents(schema, runId);
    // The plan agent enqueued llm-analytics over MCP; every task completed once; one verdict.
    const tasks = enqueued(events);
    expect(tasks.some((id) => id.startsWith('llm-analytics'))).toBe(true);
    expect([...completions(events).entries()].sort()).toEqual(tasks.map((id) => [id, 1]).sort());
    expect(events.filter((event) => event.event === 'run-finished')).toMatchObject([{ verdict: 'done' }]);
    // Nothing of the run is in the project but the worker's own state dir.
    expect(existsSync(join(dir, '.drover', 'queue.json'))).toBe(false);

    const elsewhere = await mkdtemp(join(tmpdir(), 'drover-elsewhere-'));
    const status = startDrover(['status', '--store', url, '--run', runId, '--json'], {}, { cwd: elsewhere });
    const shown = await status.done;
    expect(shown.stderr).toBe('');
    expect(shown.code).toBe(0);
    const json = JSON.parse(shown.stdout) as { status: string; verdict: { status: string }; tasks: Array<{ id: string; status: string }> };
    expect(json.status).toBe('done');
    expect(json.verdict.status).toBe('done');
    expect(json.tasks.map((task) => task.id).sort()).toEqual([...tasks].sort());
    // The report's agent read its dependencies' handoffs through the tool; its log tail is in the database.
    const report = await drover(['status', '--store', url, '--run', runId, '--task', tasks.find((id) => id.startsWith('report'))!, '--json']);
    const detail = JSON.parse(report.stdout) as { prompt: string; logTail: string };
    expect(detail.prompt).toMatch(/install is done\./);
    expect(detail.logTail).toMatch(/read_handoffs -> \[\{.*"taskId":"install-1"/);
    const list = await drover(['status', '--store', url, '--json']);
    expect((JSON.parse(list.stdout) as { runs: Array<{ runId: string; status: string }> }).runs).toMatchObject([{ runId, status: 'done' }]);
  });

  it('two drover worker processes, with their own workdirs and state dirs and only the URL in common, drain a run seeded by another process: every task completed exactly once', async () => {
    const { url, schema } = newStore();
    const runId = await seedOnly(url, await copyApp(APP));
    const barrier = await mkdtemp(join(tmpdir(), 'drover-barrier-'));
    // install and init wait for each other: with one slot per worker, both workers must be running them at once.
    const env = { FAKE_AGENT_BEHAVIOR: JSON.stringify({ install: 'meet', init: 'meet' }), FAKE_AGENT_MEET: 'install-1,init-2', FAKE_AGENT_BARRIER_DIR: barrier };
    const a = await startWorker(url, runId, env);
    const b = await startWorker(url, runId, env);
    const [doneA, doneB] = await Promise.all([a.started.done, b.started.done]);
    expect(doneA.stderr + doneB.stderr).toBe('');
    expect([doneA.code, doneB.code]).toEqual([0, 0]);
    expect(doneA.stdout).toMatch(/started (install-1|init-2)/);
    expect(doneB.stdout).toMatch(/started (install-1|init-2)/);
    const events = await readRunEvents(schema, runId);
    expect([...completions(events).entries()].sort()).toEqual(enqueued(events).map((id) => [id, 1]).sort());
    expect(events.filter((event) => event.event === 'run-finished')).toHaveLength(1);
  });

  it('a worker SIGKILLed mid-attempt loses its lease; the task runs again elsewhere and the run finishes; a worker restarted on its state dir kills its orphaned agent first', async () => {
    const { url, schema } = newStore();
    const runId = await seedOnly(url, await copyApp(APP));
    const barrier = await mkdtemp(join(tmpdir(), 'drover-barrier-'));
    const env = { FAKE_AGENT_BEHAVIOR: JSON.stringify({ install: 'wait-release' }), FAKE_AGENT_BARRIER_DIR: barrier };
    const a = await startWorker(url, runId, env, ['--lease', '2s']);
    const b = await startWorker(url, runId, env, ['--lease', '2s']);
    await waitFor(async () => existsSync(join(barrier, 'arrived-install-1')));
    const victim = await Promise.race([a, b].map((worker) => worker.started.stdoutMatches(/started install-1/).then(() => worker)));
    const survivor = victim === a ? b : a;
    victim.started.child.kill('SIGKILL');
    await victim.started.done;
    const orphan = Number(await readFile(join(barrier, 'arrived-install-1'), 'utf8'));
    expect(isRunning(orphan)).toBe(true); // the dead worker's agent goes on, as a real one would
    // A worker restarted on the dead one's state dir kills that agent before it claims anything.
    const restarted = startDrover(['worker', '--store', url, '--run', runId, '--workdir', victim.workdir, '--state-dir', victim.stateDir, '--lease', '2s', ...agent], env);
    children.push(restarted);
    await restarted.stdoutMatches(/killed 1 agent process group\(s\) a stopped worker left running/);
    expect(isRunning(orphan)).toBe(false);
    await writeFile(join(barrier, 'release-install-1'), '');
    const [done, again] = await Promise.all([survivor.started.done, restarted.done]);
    expect(done.stderr + again.stderr).toBe('');
    expect([done.code, again.code]).toEqual([0, 0]);
    expect(done.stdout + again.stdout).toMatch(/started install-1 \(install\) attempt 1/);
    const events = await readRunEvents(schema, runId);
    expect([...completions(events).entries()].sort()).toEqual(enqueued(events).map((id) => [id, 1]).sort());
    const requeued = events.find((event) => event.event === 'task-requeued' && event.taskId === 'install-1');
    expect(requeued).toMatchObject({ error: { kind: 'interrupted', message: expect.stringMatching(/lease of worker .* expired/) as unknown } });
    expect(events.filter((event) => event.event === 'run-finished')).toMatchObject([{ verdict: 'done' }]);
  });

  it('a bad or unreachable --store URL is one line naming it, exit 2, and nothing is written', async () => {
    const dir = await copyApp(APP);
    const unreachable = await drover(['run', '--install-dir', dir, '--store', 'postgres://nobody@127.0.0.1:1/none', '--ui', 'plain']);
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toMatch(/^drover: cannot use PostgreSQL at postgres:\/\/nobody@127\.0\.0\.1:1\/none: .+\n$/);
    expect(existsSync(join(dir, '.drover'))).toBe(false);
    const malformed = await drover(['worker', '--store', 'mysql://x@y/z']);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(/^drover: database URL: expected a postgres:\/\/ or postgresql:\/\/ URL, got the scheme "mysql"\n$/);
    const viaEnv = await drover(['status'], { DROVER_DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect(viaEnv.code).toBe(2);
    expect(viaEnv.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    const { url } = newStore();
    const noRun = await drover(['worker', '--store', url, '--run', 'no-such-run']);
    expect(noRun.code).toBe(2);
    expect(noRun.stderr).toMatch(/^drover: --run no-such-run: no such run in postgres:\/\/.+\n$/);
  });
});
