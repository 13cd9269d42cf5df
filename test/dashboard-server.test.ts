import { randomUUID } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StateDirReader } from '../src/backend/local/state-dir-reader.js';
import { RunQueue } from '../src/backend/local/run-queue.js';
import { DEFAULT_LIMITS } from '../src/queue/limits.js';
import type { QueueSnapshot } from '../src/queue/snapshot.js';
import type { Task } from '../src/queue/task.js';
import { FileStore } from '../src/store/file/file-store.js';
import { DashboardServer } from '../src/web/server/dashboard-server.js';
import { httpGet, openSse, seqOf, type SseStream } from './helpers/dashboard-client.js';
import { copyApp, drover, readJsonLines, REPO_ROOT, startDrover, waitFor } from './helpers/run-cli.js';

const NEXT_APP = join(REPO_ROOT, 'examples', 'next-app');
const cleanup: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
});

async function serve(stateDir: string): Promise<{ server: DashboardServer; api: (path: string) => Promise<Record<string, unknown>>; base: string; auth: Record<string, string> }> {
  const reader = new StateDirReader(stateDir, { pollMs: 200 });
  const server = await DashboardServer.start({ reader });
  cleanup.push(() => reader.close(), () => server.close());
  const base = `http://127.0.0.1:${server.port}`;
  const auth = { Authorization: `Bearer ${server.token}` };
  const api = async (path: string): Promise<Record<string, unknown>> => {
    const reply = await httpGet(`${base}${path}`, auth);
    expect(reply.status, `${path}: ${reply.body}`).toBe(200);
    return reply.json();
  };
  return { server, api, base, auth };
}

const policy = { limits: { ...DEFAULT_LIMITS, maxTasks: 2000, maxChildren: 1000 }, taskTypes: null, sinkTypes: new Set<string>(), defaultMaxAttempts: 2 };

/** A run written by the real writer (RunQueue over FileStore) step by step, so a test decides when each event happens. */
async function startWrittenRun(): Promise<{ queue: RunQueue; stateDir: string; runId: string }> {
  const app = await copyApp(NEXT_APP);
  const stateDir = join(app, '.drover');
  const store = new FileStore(stateDir);
  await store.open();
  const runId = randomUUID();
  const queue = await RunQueue.start(store, { runId, installDir: app, detected: { framework: null, packageManager: null } }, policy);
  cleanup.push(async () => {
    await queue.close();
    await rm(app, { recursive: true, force: true });
  });
  return { queue, stateDir, runId };
}

describe('drover dashboard server on a finished run (a real drover run, real HTTP)', () => {
  let stateDir: string;
  let snapshot: QueueSnapshot;
  let ctx: Awaited<ReturnType<typeof serve>>;

  beforeAll(async () => {
    const app = await copyApp(NEXT_APP);
    cleanup.push(() => rm(app, { recursive: true, force: true }));
    const result = await drover(['run', '--install-dir', app, '--ui', 'plain', '--no-telemetry']);
    expect(result.code, result.stderr).toBe(0);
    stateDir = join(app, '.drover');
    snapshot = JSON.parse(await readFile(join(stateDir, 'queue.json'), 'utf8')) as QueueSnapshot;
    ctx = await serve(stateDir);
  });

  it('refuses a request without the token (401) and one naming another host (421), and takes the token from a header, the query or its cookie', async () => {
    const { base, server, auth } = ctx;
    expect((await httpGet(`${base}/api/runs`)).status).toBe(401);
    expect((await httpGet(`${base}/api/runs`, { Authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await httpGet(`${base}/`)).status).toBe(401);
    const rebound = await httpGet(`${base}/api/runs`, { ...auth, Host: `attacker.example:${server.port}` });
    expect(rebound.status).toBe(421);
    expect((await httpGet(`${base}/api/runs`, { ...auth, Host: `localhost:${server.port}` })).status).toBe(200);
    const page = await httpGet(`${base}/?token=${server.token}`);
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.headers['cache-control']).toBe('no-store');
    const cookie = String(page.headers['set-cookie']?.[0]);
    // Named per port: browsers share cookies across ports, and two dashboards must not overwrite each other's.
    expect(cookie).toMatch(new RegExp(`^drover_token_${new URL(base).port}=[^;]+; HttpOnly; SameSite=Strict; Path=/`));
    expect((await httpGet(`${base}/api/runs`, { Cookie: cookie.split(';')[0]!.replace(/^drover_token_\d+/, 'drover_token_1') })).status).toBe(401);
    expect((await httpGet(`${base}/api/runs`, { Cookie: cookie.split(';')[0]! })).status).toBe(200);
  });

  it('is read-only: a POST is refused with 405', async () => {
    const reply = await httpGet(`${ctx.base}/api/runs/${snapshot.runId}/cancel`, ctx.auth, 'POST');
    expect(reply.status).toBe(405);
    expect(reply.json()).toHaveProperty('error');
  });

  it('lists the run with its program, status and counts', async () => {
    const { runs } = (await ctx.api('/api/runs')) as { runs: Array<Record<string, unknown>> };
    expect(runs).toEqual([expect.objectContaining({ runId: snapshot.runId, status: 'done', program: 'integrate', location: 'current', counts: { done: snapshot.tasks.length }, subject: snapshot.installDir })]);
  });

  it('serves the run as the log holds it, with every handoff and the seq it is folded to', async () => {
    const body = (await ctx.api(`/api/runs/${snapshot.runId}`)) as { run: QueueSnapshot; handoffs: Array<{ taskId: string }>; seq: number; figures: Record<string, number> };
    expect(body.seq).toBe(snapshot.seq);
    expect(body.run.tasks.map((task) => [task.id, task.status])).toEqual(snapshot.tasks.map((task) => [task.id, task.status]));
    expect(body.handoffs.map((handoff) => handoff.taskId).sort()).toEqual(snapshot.tasks.map((task) => task.id).sort());
    expect(body.figures.timeToFirstTaskMs).toBeGreaterThanOrEqual(0);
  });

  it('draws every task as a placed node and every dependsOn and enqueuedBy edge, each kind apart', async () => {
    const graph = (await ctx.api(`/api/runs/${snapshot.runId}/graph`)) as { nodes: Array<{ id: string; status: string; x: number; y: number }>; edges: Array<{ from: string; to: string; kind: string; points: unknown[] }>; width: number };
    expect(graph.nodes.map((node) => node.id).sort()).toEqual(snapshot.tasks.map((task) => task.id).sort());
    for (const node of graph.nodes) expect(Number.isFinite(node.x) && Number.isFinite(node.y)).toBe(true);
    const expected = snapshot.tasks.flatMap((task) => [...task.dependsOn.map((dep) => `${dep}>${task.id}:dependsOn`), ...(task.enqueuedBy !== 'orchestrator' ? [`${task.enqueuedBy}>${task.id}:enqueuedBy`] : [])]);
    expect(expected.some((edge) => edge.endsWith(':enqueuedBy'))).toBe(true);
    expect(graph.edges.map((edge) => `${edge.from}>${edge.to}:${edge.kind}`).sort()).toEqual(expected.sort());
    for (const edge of graph.edges) expect(edge.points.length).toBeGreaterThan(0);
  });

  it('gives the timeline every attempt and the responsiveness figures', async () => {
    const timeline = (await ctx.api(`/api/runs/${snapshot.runId}/timeline`)) as { startedAt: string; endedAt: string; attempts: Array<{ taskId: string; outcome: string; enqueuedAt: string; startedAt: string; endedAt: string }>; figures: Record<string, unknown> };
    expect(timeline.attempts.map((attempt) => attempt.taskId).sort()).toEqual(snapshot.tasks.map((task) => task.id).sort());
    for (const attempt of timeline.attempts) {
      expect(attempt.outcome).toBe('done');
      expect(attempt.enqueuedAt <= attempt.startedAt && attempt.startedAt <= attempt.endedAt).toBe(true);
    }
    expect(timeline.endedAt).toBeDefined();
    expect(timeline.figures).toEqual({ timeToFirstTaskMs: expect.any(Number), longestGapMs: expect.any(Number), longestGapAt: expect.any(String) });
  });

  it('details a task: its prompt, handoff, the upstream handoffs it received, its attempts', async () => {
    const withDeps = snapshot.tasks.find((task) => task.dependsOn.length > 0)!;
    const detail = (await ctx.api(`/api/runs/${snapshot.runId}/tasks/${withDeps.id}`)) as { task: Task; prompt: string; handoff: unknown; upstream: Array<{ taskId: string }>; attempts: unknown[]; guardTrips: unknown[] };
    expect(detail.task.id).toBe(withDeps.id);
    expect(detail.prompt).toBe(await readFile(join(stateDir, 'prompts', `${withDeps.id}.md`), 'utf8'));
    expect(detail.handoff).toEqual(JSON.parse(await readFile(join(stateDir, 'handoffs', `${withDeps.id}.json`), 'utf8')));
    expect(detail.upstream.map((handoff) => handoff.taskId).sort()).toEqual([...withDeps.dependsOn].sort());
    expect(detail.attempts).toHaveLength(1);
    expect(detail.guardTrips).toEqual([]);
  });

  it('answers 404 for an unknown run, task or path', async () => {
    for (const path of ['/api/runs/nope', `/api/runs/${snapshot.runId}/tasks/nope-1`, `/api/runs/${snapshot.runId}/tasks/..%2F..%2Fetc`, '/api/runs/nope/events', '/assets/..%2Fserver%2Fdashboard-server.ts', '/elsewhere']) {
      const reply = await httpGet(`${ctx.base}${path}`, ctx.auth);
      expect(reply.status, path).toBe(404);
      expect(reply.json(), path).toHaveProperty('error');
    }
  });

  it('answers 400, not 500, for a path with a malformed percent-escape', async () => {
    for (const path of ['/api/runs/%E0%A4%A', `/api/runs/${snapshot.runId}/tasks/%zz`, '/assets/%']) {
      const reply = await httpGet(`${ctx.base}${path}`, ctx.auth);
      expect(reply.status, path).toBe(400);
      expect(reply.json<{ error: string }>().error, path).toMatch(/malformed escape/);
    }
  });

  it('answers HEAD on the event stream with its headers and ends the response (no stream is left open)', async () => {
    const reply = await httpGet(`${ctx.base}/api/runs/${snapshot.runId}/events`, ctx.auth, 'HEAD');
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(reply.body).toBe('');
    expect((await httpGet(`${ctx.base}/api/runs/nope/events`, ctx.auth, 'HEAD')).status).toBe(404);
  });

  it('streams the events with their seq as id, and a reconnect with Last-Event-ID resumes with no gap and no duplicate', async () => {
    const url = `${ctx.base}/api/runs/${snapshot.runId}/events`;
    const first = openSse(url, ctx.auth);
    await first.until((frame) => seqOf(frame) === 5);
    first.close();
    const seen = first.frames.map(seqOf).filter((seq) => seq <= 5);
    const resumed = openSse(url, { ...ctx.auth, 'Last-Event-ID': '5' });
    await resumed.until((frame) => seqOf(frame) === snapshot.seq);
    resumed.close();
    expect([...seen, ...resumed.frames.map(seqOf)]).toEqual(Array.from({ length: snapshot.seq }, (_, i) => i + 1));
    for (const frame of resumed.frames) {
      expect(frame.event).toBe('run-event');
      expect(frame.id).toBe(String(seqOf(frame)));
    }
  });
});

describe('drover dashboard server on a live run', () => {
  it('streams a run another process is writing, start to finish, including the task an agent enqueued', async () => {
    const app = await copyApp(NEXT_APP);
    cleanup.push(() => rm(app, { recursive: true, force: true }));
    const stateDir = join(app, '.drover');
    const run = startDrover(['run', '--install-dir', app, '--ui', 'plain', '--no-telemetry', '--stub-delay', '100ms']);
    const ctx = await serve(stateDir);
    let runId = '';
    await waitFor(async () => {
      const { runs } = (await ctx.api('/api/runs')) as { runs: Array<{ runId: string }> };
      runId = runs[0]?.runId ?? '';
      return runId !== '';
    });
    const stream = openSse(`${ctx.base}/api/runs/${runId}/events`, ctx.auth);
    cleanup.push(async () => stream.close());
    const finished = await stream.until((frame) => (JSON.parse(frame.data) as { event: string }).event === 'run-finished');
    expect((await run.done).code).toBe(0);
    const events = stream.frames.map((frame) => JSON.parse(frame.data) as { seq: number; event: string; task?: Task });
    expect(events.map((event) => event.seq)).toEqual(Array.from({ length: seqOf(finished) }, (_, i) => i + 1));
    const dynamic = events.find((event) => event.event === 'task-enqueued' && event.task?.enqueuedBy !== 'orchestrator');
    expect(dynamic).toBeDefined();
    const audit = await readJsonLines(join(stateDir, 'audit.jsonl'));
    expect(events).toEqual(audit);
  });

  it('delivers a task enqueued after the stream opened, resumes across a reconnect, and lays out again only when the shape changes', async () => {
    const { queue, stateDir, runId } = await startWrittenRun();
    const ctx = await serve(stateDir);
    const url = `${ctx.base}/api/runs/${runId}/events`;
    let stream: SseStream = openSse(url, ctx.auth);
    await stream.until((frame) => seqOf(frame) === 1);
    const plan = await queue.enqueue({ type: 'plan', label: 'Plan' }, { kind: 'orchestrator' });
    const report = await queue.enqueue({ type: 'report', label: 'Report', dependsOn: ['plan-1'] }, { kind: 'orchestrator' });
    expect(plan.ok && report.ok).toBe(true);
    const enqueued = await stream.until((frame) => frame.data.includes('"report-2"'));
    expect(JSON.parse(enqueued.data)).toMatchObject({ event: 'task-enqueued', taskId: 'report-2' });

    const first = await httpGet(`${ctx.base}/api/runs/${runId}/graph`, ctx.auth);
    expect(first.headers['x-drover-layout']).toBe('computed');
    await queue.markStarted('plan-1');
    await stream.until((frame) => frame.data.includes('"task-started"'));
    const statusOnly = await httpGet(`${ctx.base}/api/runs/${runId}/graph`, ctx.auth);
    expect(statusOnly.headers['x-drover-layout']).toBe('cached');
    const [before, after] = [first.json<{ shape: string; nodes: Array<{ id: string; status: string; x: number; y: number }> }>(), statusOnly.json<{ shape: string; nodes: Array<{ id: string; status: string; x: number; y: number }> }>()];
    expect(after.shape).toBe(before.shape);
    expect(after.nodes.find((node) => node.id === 'plan-1')).toMatchObject({ status: 'running', x: before.nodes[0]!.x, y: before.nodes[0]!.y });

    // Disconnected while a child is enqueued: the reconnect picks it up from Last-Event-ID.
    const lastSeen = seqOf(stream.frames.at(-1)!);
    stream.close();
    await queue.enqueue({ type: 'instrument', label: 'Child', dependsOn: ['plan-1'] }, { kind: 'task', taskId: 'plan-1', attempt: 1 });
    stream = openSse(url, { ...ctx.auth, 'Last-Event-ID': String(lastSeen) });
    cleanup.push(async () => stream.close());
    const child = await stream.until((frame) => frame.data.includes('"instrument-3"'));
    expect(stream.frames.map(seqOf)).toEqual(Array.from({ length: seqOf(child) - lastSeen }, (_, i) => lastSeen + i + 1));

    const grown = await httpGet(`${ctx.base}/api/runs/${runId}/graph`, ctx.auth);
    expect(grown.headers['x-drover-layout']).toBe('computed');
    const model = grown.json<{ shape: string; edges: Array<{ from: string; to: string; kind: string }> }>();
    expect(model.shape).not.toBe(before.shape);
    expect(model.edges).toContainEqual(expect.objectContaining({ from: 'plan-1', to: 'instrument-3', kind: 'enqueuedBy' }));
  });

  it('collapses the siblings an agent enqueued into one summary node above 300 tasks', async () => {
    const { queue, stateDir, runId } = await startWrittenRun();
    await queue.enqueue({ type: 'plan', label: 'Plan' }, { kind: 'orchestrator' });
    await queue.markStarted('plan-1');
    const children = await Promise.all(Array.from({ length: 305 }, (_, i) => queue.enqueue({ type: 'instrument', label: `File ${i}`, inputs: { i }, dependsOn: ['plan-1'] }, { kind: 'task', taskId: 'plan-1', attempt: 1 })));
    expect(children.every((outcome) => outcome.ok)).toBe(true);
    const ctx = await serve(stateDir);
    const graph = (await ctx.api(`/api/runs/${runId}/graph`)) as { nodes: Array<{ id: string; label: string; collapsed?: { count: number; members: string[] } }>; edges: Array<{ from: string; to: string; kind: string }> };
    expect(graph.nodes.map((node) => node.id)).toEqual(['plan-1', 'group:plan-1:instrument']);
    expect(graph.nodes[1]).toMatchObject({ label: 'plan-1: 305 instrument tasks', collapsed: { count: 305 } });
    expect(graph.nodes[1]!.collapsed!.members).toHaveLength(305);
    expect(graph.edges.map((edge) => edge.kind).sort()).toEqual(['dependsOn', 'enqueuedBy']);
  });
});
