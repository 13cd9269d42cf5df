import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StateDirActions } from '../src/backend/local/state-dir-actions.js';
import { StateDirReader } from '../src/backend/local/state-dir-reader.js';
import { RunQueue } from '../src/backend/local/run-queue.js';
import { DEFAULT_LIMITS } from '../src/queue/limits.js';
import { FileStore } from '../src/store/file/file-store.js';
import { DashboardServer } from '../src/web/server/dashboard-server.js';
import { httpGet } from './helpers/dashboard-client.js';
import { openTestBackend, randomSchema, TEST_DATABASE_URL } from './helpers/postgres.js';
import { startDashboard } from './helpers/dashboard-server.js';
import { copyApp, drover, hangingAgentPid, isAlive, readJsonLines, REPO_ROOT, startDrover, type StartedDrover, waitFor } from './helpers/run-cli.js';

const FAKE_AGENT = join(REPO_ROOT, 'test/agents/fake-agent.mjs');
const agentCmd = `node ${FAKE_AGENT}`;
const cleanup: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
});

const policy = { limits: DEFAULT_LIMITS, taskTypes: null, sinkTypes: new Set<string>(), defaultMaxAttempts: 2 };

/**
 * Starts `drover run ARGS --dashboard --allow-actions` (killed after the test if still running) and
 * waits for the dashboard's URL line on stderr: the process, and the dashboard's address and token.
 */
async function startWithDashboard(args: readonly string[], env: NodeJS.ProcessEnv): Promise<{ run: StartedDrover; base: string; token: string }> {
  const run = startDrover([...args, '--dashboard', '--allow-actions'], env);
  cleanup.push(async () => {
    if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
  });
  let stderr = '';
  run.child.stderr!.on('data', (chunk) => (stderr += chunk));
  await waitFor(async () => /dashboard at http/.test(stderr));
  const [, base, token] = /dashboard at (http:\/\/127\.0\.0\.1:\d+)\/\?token=(\S+)/.exec(stderr)!;
  return { run, base: base!, token: token! };
}

async function serveWithActions(stateDir: string): Promise<{ server: DashboardServer; base: string; auth: Record<string, string>; post: (path: string, headers?: Record<string, string>) => ReturnType<typeof httpGet> }> {
  const reader = new StateDirReader(stateDir, { pollMs: 200 });
  const server = await DashboardServer.start({ reader, actions: new StateDirActions(stateDir) });
  cleanup.push(() => reader.close(), () => server.close());
  const base = `http://127.0.0.1:${server.port}`;
  const auth = { Authorization: `Bearer ${server.token}` };
  const post = (path: string, headers: Record<string, string> = { Origin: base }) => httpGet(`${base}${path}`, { ...auth, ...headers }, 'POST');
  return { server, base, auth, post };
}

describe('dashboard actions on a state dir no process is running (server, real HTTP)', () => {
  let stateDir: string;
  let runId: string;
  let ids: string[];
  let ctx: Awaited<ReturnType<typeof serveWithActions>>;

  beforeAll(async () => {
    // A finished, failed run written by the real writer: a failed for good (one attempt), b blocked behind it, c done.
    const app = await copyApp(join(REPO_ROOT, 'examples', 'next-app'));
    cleanup.push(() => rm(app, { recursive: true, force: true }));
    stateDir = join(app, '.drover');
    const store = new FileStore(stateDir);
    await store.open();
    runId = 'run-actions';
    const queue = await RunQueue.start(store, { runId, installDir: app, detected: { framework: null, packageManager: null } }, policy);
    ids = [];
    for (const [type, dependsOn] of [['a', []], ['b', [0]], ['c', []]] as const) {
      const outcome = await queue.enqueue({ type, reason: 'test', dependsOn: dependsOn.map((i) => ids[i]!), maxAttempts: 1 }, { kind: 'orchestrator' });
      if (!outcome.ok) throw new Error(outcome.message);
      ids.push(outcome.value.id);
    }
    await queue.markSeeded();
    const attempt = await queue.markStarted(ids[0]!);
    await queue.finishAttempt(ids[0]!, attempt, { kind: 'returned' });
    const done = await queue.markStarted(ids[2]!);
    await queue.complete({ kind: 'task', taskId: ids[2]!, attempt: done }, 'done', { goal: 'g', did: 'd', forNextAgent: 'n' });
    await queue.finish('failed', [ids[0]!], [ids[1]!]);
    await queue.close();
    ctx = await serveWithActions(stateDir);
  });

  it('asks for the token, as reads do', async () => {
    const reply = await httpGet(`${ctx.base}/api/runs/${runId}/tasks/${ids[0]}/retry`, { Origin: ctx.base }, 'POST');
    expect(reply.status).toBe(401);
  });

  it('refuses a cross-site request (403): another Origin, a cross-site fetch, or neither Origin nor the X-Drover-Action header', async () => {
    const path = `/api/runs/${runId}/tasks/${ids[0]}/retry`;
    expect((await ctx.post(path, { Origin: 'http://evil.example' })).status).toBe(403);
    expect((await ctx.post(path, { Origin: ctx.base, 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
    expect((await ctx.post(path, {})).status).toBe(403);
    const audit = await readJsonLines(join(stateDir, 'audit.jsonl'));
    expect(audit.some((event) => event.event === 'task-retried')).toBe(false);
  });

  it('tells the page that actions are allowed, and answers 405 for other methods', async () => {
    const run = await httpGet(`${ctx.base}/api/runs/${runId}`, ctx.auth);
    expect(run.json()).toMatchObject({ actions: true });
    const put = await httpGet(`${ctx.base}/api/runs/${runId}/cancel`, { ...ctx.auth, Origin: ctx.base }, 'PUT');
    expect(put.status).toBe(405);
    expect(put.headers.allow).toBe('GET, HEAD, POST');
  });

  it('refuses to retry a task that did not fail, with the reason (409)', async () => {
    const reply = await ctx.post(`/api/runs/${runId}/tasks/${ids[1]}/retry`);
    expect(reply.status).toBe(409);
    expect(reply.json()).toEqual({ error: `task ${ids[1]} is blocked: only a failed task can be retried` });
    expect((await ctx.post(`/api/runs/no-such-run/cancel`)).status).toBe(404);
  });

  it('answers 400, not 500, for an action path with a malformed percent-escape (as it does for a read)', async () => {
    for (const path of ['/api/runs/%E0%A4%A/cancel', `/api/runs/${runId}/tasks/%zz/retry`]) {
      const reply = await ctx.post(path);
      expect(reply.status, `${path}: ${reply.body}`).toBe(400);
      expect(reply.json<{ error: string }>().error).toContain('malformed escape');
    }
  });

  it('retries the failed task: audited with who asked, the run reopened, then cancels it for good', async () => {
    const retried = await ctx.post(`/api/runs/${runId}/tasks/${ids[0]}/retry`, { 'X-Drover-Action': '1' });
    expect(retried.status, retried.body).toBe(200);
    let audit = await readJsonLines(join(stateDir, 'audit.jsonl'));
    expect(audit.at(-1)).toMatchObject({ event: 'task-retried', taskId: ids[0], unblocked: [ids[1]], reopened: true, by: 'dashboard', address: '127.0.0.1' });
    const queue = JSON.parse(await readFile(join(stateDir, 'queue.json'), 'utf8')) as { status: string; tasks: Array<{ status: string }> };
    expect(queue.status).toBe('running');
    expect(queue.tasks.map((task) => task.status)).toEqual(['pending', 'pending', 'done']);

    const cancelled = await ctx.post(`/api/runs/${runId}/cancel`);
    expect(cancelled.status, cancelled.body).toBe(200);
    audit = await readJsonLines(join(stateDir, 'audit.jsonl'));
    expect(audit.slice(-2)).toMatchObject([{ event: 'run-cancel-requested', by: 'dashboard' }, { event: 'run-finished', verdict: 'cancelled' }]);
    const again = await ctx.post(`/api/runs/${runId}/cancel`);
    expect(again.status).toBe(409);
    expect(again.json<{ error: string }>().error).toContain('is not running (cancelled)');

    // drover status shows who cancelled it.
    const status = await drover(['status', '--state-dir', stateDir]);
    expect(status.stdout).toContain('Run cancelled');
    expect(status.stdout).toMatch(/cancelled by the dashboard \(127\.0\.0\.1\) at \d{4}-/);
  });
});

describe('drover run --dashboard --allow-actions (real processes)', () => {
  it('is cancelled through the HTTP endpoint: agents stopped, attempts given back, exit 5 with who cancelled it; a second dashboard cannot write the live run (409 naming its pid)', async () => {
    const dir = await copyApp(join(REPO_ROOT, 'test/fixtures/apps/express-app'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const { run, base, token } = await startWithDashboard(['run', '--install-dir', dir, '--ui', 'plain', '--no-telemetry', '--agent', 'command', '--agent-cmd', agentCmd], { FAKE_AGENT_BEHAVIOR: JSON.stringify({ '*': 'hang' }) });
    const agentPid = await hangingAgentPid(join(dir, '.drover'));
    const runId = (JSON.parse((await readFile(join(dir, '.drover', 'audit.jsonl'), 'utf8')).split('\n')[0]!) as { runId: string }).runId;

    // A standalone dashboard on the same state dir: the run is live in the other process.
    const other = await serveWithActions(join(dir, '.drover'));
    const refused = await other.post(`/api/runs/${runId}/cancel`);
    expect(refused.status).toBe(409);
    expect(refused.json<{ error: string }>().error).toBe(`the run is live in process ${run.child.pid}; start it with --dashboard --allow-actions, or act after it stops`);

    const cancelled = await httpGet(`${base}/api/runs/${runId}/cancel`, { Authorization: `Bearer ${token}`, Origin: base }, 'POST');
    expect(cancelled.status, cancelled.body).toBe(200);
    const ended = await run.done;
    expect(ended.code, ended.stderr).toBe(5);
    expect(ended.stderr).toMatch(new RegExp(`run ${runId} was cancelled from the dashboard \\(127\\.0\\.0\\.1\\) at \\S+; its running attempts were given back`));
    expect(ended.stdout).toContain('Run cancelled');
    expect(ended.stdout).toContain('cancelled by the dashboard (127.0.0.1)');
    await waitFor(async () => !isAlive(agentPid));
    const audit = await readJsonLines(join(dir, '.drover', 'audit.jsonl'));
    const request = audit.findIndex((event) => event.event === 'run-cancel-requested');
    expect(audit[request]).toMatchObject({ by: 'dashboard', address: '127.0.0.1' });
    expect(audit.slice(request + 1).map((event) => event.event)).toEqual(['task-requeued', 'run-finished']);
    expect(audit.at(-1)).toMatchObject({ event: 'run-finished', verdict: 'cancelled' });
    expect(audit[request + 1]).toMatchObject({ error: { kind: 'interrupted' } });
  });
});

describe('a retry on a finished run\'s state dir, then drover run --resume (drover in-process, real agent processes)', () => {
  it('the retried task and the tasks its failure blocked run on --resume, and the run ends done (exit 0)', async () => {
    const dir = await copyApp(join(REPO_ROOT, 'test/fixtures/apps/express-app'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const stateDir = join(dir, '.drover');
    const agentArgs = ['--agent', 'command', '--agent-cmd', agentCmd];
    // Both runs in-process (the agents are still real processes): what is tested is the retry's effect on --resume.
    const first = await drover(['run', '--install-dir', dir, '--ui', 'plain', '--no-telemetry', '--max-attempts', '1', ...agentArgs], { FAKE_AGENT_BEHAVIOR: JSON.stringify({ install: 'fail' }) });
    expect(first.code, first.stderr).toBe(1);
    let audit = await readJsonLines(join(stateDir, 'audit.jsonl'));
    const runId = audit[0]!.runId as string;
    const blocked = audit.filter((event) => event.event === 'task-blocked').map((event) => event.taskId as string);
    expect(blocked.length).toBeGreaterThan(0);
    expect(await new StateDirActions(stateDir).retryTask(runId, 'install-1', { by: 'dashboard', address: '127.0.0.1' })).toEqual({ ok: true });
    const resumed = await drover(['run', '--install-dir', dir, '--ui', 'plain', '--no-telemetry', '--resume', ...agentArgs]);
    expect(resumed.code, resumed.stderr).toBe(0);
    audit = await readJsonLines(join(stateDir, 'audit.jsonl'));
    const after = audit.slice(audit.findIndex((event) => event.event === 'task-retried'));
    expect(after.some((event) => event.event === 'task-started' && event.taskId === 'install-1' && event.attempt === 2)).toBe(true);
    for (const id of blocked) expect(after.some((event) => event.event === 'task-completed' && event.taskId === id), id).toBe(true);
    expect(audit.at(-1)).toMatchObject({ event: 'run-finished', verdict: 'done' });
  });
});

describe('drover run --seed agent --dashboard --allow-actions: a cancel while the seed agent runs', () => {
  it('stops the seed agent, as Ctrl-C would, and the run ends cancelled (exit 5)', async () => {
    const dir = await copyApp(join(REPO_ROOT, 'test/fixtures/apps/express-app'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const { run, base, token } = await startWithDashboard(['run', '--install-dir', dir, '--ui', 'plain', '--no-telemetry', '--seed', 'agent', '--agent', 'command', '--agent-cmd', agentCmd], { FAKE_AGENT_BEHAVIOR: JSON.stringify({ seed: 'hang' }) });
    // The seed agent is hanging (its log names its pid).
    const seedPid = await hangingAgentPid(join(dir, '.drover'));
    cleanup.push(async () => {
      if (isAlive(seedPid)) process.kill(-seedPid, 'SIGKILL');
    });
    const runId = (await readJsonLines(join(dir, '.drover', 'audit.jsonl')))[0]!.runId as string;
    const cancelled = await httpGet(`${base}/api/runs/${runId}/cancel`, { Authorization: `Bearer ${token}`, Origin: base }, 'POST');
    expect(cancelled.status, cancelled.body).toBe(200);
    const ended = await run.done;
    expect(ended.code, ended.stderr).toBe(5);
    await waitFor(async () => !isAlive(seedPid));
    expect((await readJsonLines(join(dir, '.drover', 'audit.jsonl'))).at(-1)).toMatchObject({ event: 'run-finished', verdict: 'cancelled' });
  });
});

describe('drover run --dashboard --allow-actions: a retry while the run is live', () => {
  it('the run\'s own process records the retry and starts the task again (attempt 2) while other work goes on', async () => {
    const dir = await copyApp(join(REPO_ROOT, 'test/fixtures/apps/express-app'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const barrier = join(dir, 'barrier');
    await mkdir(barrier);
    // install fails for good (one attempt); init waits for a file, so the run stays live meanwhile.
    const env = { FAKE_AGENT_BEHAVIOR: JSON.stringify({ install: 'fail', init: 'wait-release' }), FAKE_AGENT_BARRIER_DIR: barrier };
    const { run, base, token } = await startWithDashboard(['run', '--install-dir', dir, '--ui', 'plain', '--no-telemetry', '--concurrency', '3', '--max-attempts', '1', '--agent', 'command', '--agent-cmd', agentCmd], env);
    const audit = join(dir, '.drover', 'audit.jsonl');
    const events = async () => (existsSync(audit) ? readJsonLines(audit) : []);
    await waitFor(async () => (await events()).some((event) => event.event === 'task-failed' && event.taskId === 'install-1'));
    const runId = (await events())[0]!.runId as string;
    const retried = await httpGet(`${base}/api/runs/${runId}/tasks/install-1/retry`, { Authorization: `Bearer ${token}`, Origin: base }, 'POST');
    expect(retried.status, retried.body).toBe(200);
    await waitFor(async () => (await events()).some((event) => event.event === 'task-started' && event.taskId === 'install-1' && event.attempt === 2));
    await writeFile(join(barrier, 'release-init-2'), '');
    const ended = await run.done;
    // install fails again: the run ends failed, as it would have.
    expect(ended.code, ended.stderr).toBe(1);
    const log = await events();
    const at = log.findIndex((event) => event.event === 'task-retried');
    // The run's own --max-attempts (1) is the fresh budget: attempt 2 is its last.
    expect(log[at]).toMatchObject({ taskId: 'install-1', reopened: false, maxAttempts: 2, by: 'dashboard', address: '127.0.0.1' });
    expect(log[at]!.unblocked).toEqual(expect.arrayContaining(['instrument-4']));
    expect(log.slice(at).filter((event) => event.event === 'task-started' && event.taskId === 'install-1')).toHaveLength(1);
    expect(log.at(-1)).toMatchObject({ event: 'run-finished', verdict: 'failed' });
  });
});

describe('drover dashboard --store --allow-actions (the real bin, PostgreSQL)', () => {
  it('retries a failed task of a finished run in the store (the read-only dashboard answers 405)', async () => {
    const schema = randomSchema();
    const writer = await openTestBackend(schema);
    cleanup.push(async () => {
      await writer.dropSchema();
      await writer.close();
    });
    const runId = 'run-pg-actions';
    await writer.createRun({ runId, installDir: '/srv/app', detected: { framework: null, packageManager: null } });
    const enqueued = await writer.enqueue(runId, { type: 'fix', reason: 'r', maxAttempts: 1 }, { kind: 'orchestrator' });
    if (!enqueued.ok) throw new Error(enqueued.message);
    await writer.markSeeded(runId);
    const [claimed] = await writer.claim({ worker: 'w', max: 1, leaseMs: 60_000, runId });
    await writer.finishAttempt(claimed!, { kind: 'threw', message: 'crashed' });
    await writer.finishRun(runId, 'failed', [claimed!.taskId], []);
    const url = `${TEST_DATABASE_URL}?schema=${schema}`;
    const path = `/api/runs/${runId}/tasks/${claimed!.taskId}/retry`;

    const readOnly = await startDashboard(['--store', url]);
    cleanup.push(() => readOnly.stop());
    expect((await httpGet(`${readOnly.origin}${path}`, { Authorization: `Bearer ${readOnly.token}`, Origin: readOnly.origin }, 'POST')).status).toBe(405);

    const acting = await startDashboard(['--store', url, '--allow-actions']);
    cleanup.push(() => acting.stop());
    const reply = await httpGet(`${acting.origin}${path}`, { Authorization: `Bearer ${acting.token}`, Origin: acting.origin }, 'POST');
    expect(reply.status, reply.body).toBe(200);
    expect(await writer.readRun(runId)).toMatchObject({ status: 'running', tasks: [{ status: 'pending', attempts: 1, maxAttempts: 3 }] });
    expect((await writer.readEvents(runId, 0)).at(-1)).toMatchObject({ event: 'task-retried', by: 'dashboard', address: '127.0.0.1', reopened: true });
  });
});

describe('drover run --store --dashboard --allow-actions (real processes, PostgreSQL)', () => {
  it('a cancel from the page ends the run in one transaction: the worker finds its lease gone, stops the agent, and drover run exits 5', async () => {
    const schema = randomSchema();
    cleanup.push(async () => (await openTestBackend(schema)).dropSchema());
    const dir = await copyApp(join(REPO_ROOT, 'test/fixtures/apps/express-app'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const { run, base, token } = await startWithDashboard(['run', '--install-dir', dir, '--ui', 'plain', '--no-telemetry', '--store', `${TEST_DATABASE_URL}?schema=${schema}`, '--lease', '2s', '--agent', 'command', '--agent-cmd', agentCmd], { FAKE_AGENT_BEHAVIOR: JSON.stringify({ '*': 'hang' }) });
    const auth = { Authorization: `Bearer ${token}` };
    // A worker keeps its agents' logs per run: .drover/runs/<runId>/logs/.
    const stateDir = join(dir, '.drover');
    const agentPid = await hangingAgentPid(stateDir);
    const runs = (await httpGet(`${base}/api/runs`, auth)).json<{ runs: Array<{ runId: string }> }>().runs;
    expect(runs).toHaveLength(1);
    const runId = runs[0]!.runId;
    const cancelled = await httpGet(`${base}/api/runs/${runId}/cancel`, { ...auth, 'X-Drover-Action': '1' }, 'POST');
    expect(cancelled.status, cancelled.body).toBe(200);
    const ended = await run.done;
    expect(ended.code, ended.stderr).toBe(5);
    expect(ended.stderr).toContain(`run ${runId} was cancelled from the dashboard (127.0.0.1)`);
    await waitFor(async () => !isAlive(agentPid));
    const backend = await openTestBackend(schema);
    try {
      const events = await backend.readEvents(runId, 0, 10_000);
      const request = events.findIndex((event) => event.event === 'run-cancel-requested');
      expect(events[request]).toMatchObject({ by: 'dashboard', address: '127.0.0.1' });
      expect(events.slice(request + 1).map((event) => event.event)).toEqual(['task-requeued', 'run-finished']);
      expect(events.at(-1)).toMatchObject({ verdict: 'cancelled' });
      expect((await backend.readRun(runId))!.status).toBe('cancelled');
    } finally {
      await backend.close();
    }
  });
});
