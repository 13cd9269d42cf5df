import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunObserver } from '../src/queue/run-observer.js';
import { computeVerdict } from '../src/queue/verdict.js';
import { createTelemetryObserver, type TelemetryEvent, type TelemetryObserverOptions } from '../src/telemetry/index.js';
import { QueueBuilder } from '../src/testing/queue-builder.js';

/** What posthog-node put on the wire: one entry per batch request. */
interface Batch {
  readonly path: string;
  readonly gzip: boolean;
  readonly body: { api_key: string; batch: Array<{ event: string; distinct_id: string; timestamp: string; properties: Record<string, unknown> }> };
}

/** A local stand-in for PostHog's ingestion endpoint. `mode: 'hang'` accepts requests and never answers. */
async function startFakePostHog(mode: 'answer' | 'hang' = 'answer'): Promise<{ host: string; batches: Batch[]; server: Server }> {
  const batches: Batch[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (mode === 'hang') return;
      const raw = Buffer.concat(chunks);
      const gzip = req.headers['content-encoding'] === 'gzip';
      batches.push({ path: req.url ?? '', gzip, body: JSON.parse((gzip ? gunzipSync(raw) : raw).toString('utf8')) as Batch['body'] });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":1}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { host: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, batches, server };
}

/** A port on which nothing listens. */
async function closedPortHost(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/**
 * A realistic run: the seed enqueues three tasks (the report is a sink), a task enqueues a
 * fix and trips a guard, the fix fails once, is retried and fails for good, and the report is
 * blocked.
 */
function driveRun(observer: RunObserver, stateDir: string): { q: QueueBuilder; startedAt: number; ids: Record<string, string> } {
  const q = new QueueBuilder();
  const startedAt = Date.parse(q.log[0]!.ts);
  observer.onRunStart?.({ program: 'integrate', runId: 'run-test', installDir: '/home/someone/app', stateDir, detected: { framework: 'nextjs', packageManager: 'pnpm' }, resumed: false, startedAt }, q.state);
  q.subscribe((event, state) => observer.onEvent?.(event, state));
  const explore = q.enqueue({ type: 'explore', inputs: { hint: 'private' } });
  const instrument = q.enqueue({ type: 'instrument', dependsOn: [explore] });
  const report = q.enqueue({ type: 'report', dependsOn: [instrument] });
  q.emit({ event: 'run-seeded', taskCount: 3 });
  q.start(explore);
  q.complete(explore);
  q.start(instrument);
  const fix = q.enqueue({ type: 'fix' }, instrument);
  q.emit({ event: 'guard-tripped', guard: 'max-children', message: 'too many children', caller: instrument, taskId: instrument, tool: 'enqueue_task', type: 'fix' });
  q.complete(instrument);
  q.start(fix);
  q.requeue(fix);
  q.start(fix);
  q.fail(fix);
  const verdict = computeVerdict(q.state);
  q.emit({ event: 'run-finished', verdict: 'failed', failed: verdict.failed, blocked: verdict.blocked });
  observer.onRunEnd?.({ verdict, exitCode: 1, state: q.state, endedAt: Date.parse(q.log.at(-1)!.ts) });
  return { q, startedAt, ids: { explore, instrument, report, fix } };
}

const EXPECTED_NAMES = [
  'orchestrator started',
  'orchestrator task enqueued',
  'orchestrator task enqueued',
  'orchestrator task enqueued',
  'orchestrator seeded',
  'orchestrator task started',
  'orchestrator task completed',
  'orchestrator task started',
  'orchestrator task enqueued',
  'orchestrator guard tripped',
  'orchestrator task completed',
  'orchestrator task started',
  'orchestrator task requeued',
  'orchestrator task started',
  'orchestrator task failed',
  'orchestrator task blocked',
  'orchestrator run finished',
];

let stateDir: string;
const servers: Server[] = [];
beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'drover-posthog-'));
});
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  await rm(stateDir, { recursive: true, force: true });
});

async function fakePostHog(mode: 'answer' | 'hang' = 'answer'): Promise<{ host: string; batches: Batch[] }> {
  const fake = await startFakePostHog(mode);
  servers.push(fake.server);
  return fake;
}

const readJsonl = async (): Promise<TelemetryEvent[]> =>
  (await readFile(join(stateDir, 'events.jsonl'), 'utf8'))
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as TelemetryEvent);

function observe(options: Omit<TelemetryObserverOptions, 'stateDir'>): { observer: ReturnType<typeof createTelemetryObserver>; warnings: string[] } {
  const warnings: string[] = [];
  return { observer: createTelemetryObserver({ stateDir, warn: (line) => warnings.push(line), ...options }), warnings };
}

describe('telemetry to PostHog (through posthog-node, against a local server)', () => {
  it('sends every event, named and shaped as the dashboards expect, and flushes on close', async () => {
    const { host, batches } = await fakePostHog();
    // The server answers; a loaded machine can still take longer than the 2 s default bound to
    // send, so the bound here is long enough that only a real failure would warn.
    const { observer, warnings } = observe({ env: { DROVER_POSTHOG_KEY: 'phc_test_key', DROVER_POSTHOG_HOST: host }, appVersion: '0.1.0', shutdownTimeoutMs: 120_000 });
    expect(observer.posthog).toEqual({ send: true, apiKey: 'phc_test_key', host });
    const { q, startedAt, ids } = driveRun(observer, stateDir);
    await observer.close();

    expect(warnings).toEqual([]);
    expect(batches.length).toBeGreaterThan(0);
    expect(batches.every((batch) => batch.path === '/batch/' && batch.body.api_key === 'phc_test_key')).toBe(true);
    const sent = batches.flatMap((batch) => batch.body.batch);
    expect(sent.map((event) => event.event)).toEqual(EXPECTED_NAMES);

    // One anonymous actor, no person profile, no GeoIP, no path.
    expect(new Set(sent.map((event) => event.distinct_id)).size).toBe(1);
    expect(sent[0]?.distinct_id).not.toContain('run-test');
    for (const event of sent) expect(event.properties).toMatchObject({ run_id: 'run-test', $process_person_profile: false, $geoip_disable: true, drover_version: '0.1.0' });
    expect(JSON.stringify(sent)).not.toContain('/home/someone');
    expect(JSON.stringify(sent)).not.toContain('private');

    const find = (name: string, taskId?: string) => sent.find((event) => event.event === name && (taskId === undefined || event.properties['task_id'] === taskId))!;
    expect(find('orchestrator started').properties).toMatchObject({ program_id: 'integrate', resumed: false, framework: 'nextjs', package_manager: 'pnpm' });
    expect(find('orchestrator started').timestamp).toBe(new Date(startedAt).toISOString());
    expect(find('orchestrator seeded').properties).toMatchObject({ task_count: 3, types: ['explore', 'instrument', 'report'] });
    expect(find('orchestrator task enqueued', ids['fix']).properties).toMatchObject({ task_type: 'fix', enqueued_by: ids['instrument'], depth: 1, dynamic: true });
    expect(find('orchestrator task enqueued', ids['explore']).properties).toMatchObject({ task_type: 'explore', enqueued_by: 'orchestrator', depth: 0, dynamic: false });
    expect(find('orchestrator task started', ids['explore']).properties).toMatchObject({ task_type: 'explore', attempt: 1 });
    expect(find('orchestrator guard tripped').properties).toMatchObject({ guard: 'max-children', tool: 'enqueue_task', task_type: 'fix', caller_type: 'instrument' });
    expect(find('orchestrator task failed').properties).toMatchObject({ task_type: 'fix', task_id: ids['fix'], attempt: 2, error: 'agent-failed' });
    expect(find('orchestrator task blocked').properties).toMatchObject({ task_type: 'report', blocked_by_type: 'fix' });

    // Each event keeps the time of its queue event, not the time it was sent.
    const completedExplore = q.log.find((event) => event.event === 'task-completed' && event.taskId === ids['explore'])!;
    expect(find('orchestrator task completed', ids['explore']).timestamp).toBe(completedExplore.ts);

    const firstStart = q.log.find((event) => event.event === 'task-started')!;
    const end = q.log.at(-1)!;
    expect(find('orchestrator run finished').properties).toMatchObject({
      verdict: 'failed',
      exit_code: 1,
      tasks_total: 4,
      tasks_done: 2,
      tasks_failed: 1,
      tasks_skipped: 0,
      tasks_blocked: 1,
      total_duration_ms: Date.parse(end.ts) - startedAt,
      time_to_first_task_ms: Date.parse(firstStart.ts) - startedAt,
      // The queue's fake clock ticks 1 s per stamp; the longest silence is the 3 s from the fix's
      // enqueue to the instrument's completion, with the (invisible) guard trip in between.
      max_gap_ms: 3_000,
      dynamic_enqueue_count: 1,
      retried_task_count: 1,
      guard_trip_count: 1,
    });

    // The local file holds the same events.
    expect((await readJsonl()).map((event) => event.event)).toEqual(EXPECTED_NAMES);
  });

  it('sends batches during the run, without waiting for close', async () => {
    const { host, batches } = await fakePostHog();
    const { observer } = observe({ env: { DROVER_POSTHOG_KEY: 'phc_test_key', DROVER_POSTHOG_HOST: host }, posthogFlushAt: 3 });
    driveRun(observer, stateDir);
    await vi.waitFor(() => expect(batches.length).toBeGreaterThan(0), { timeout: 5_000 });
    await observer.close();
    expect(batches.flatMap((batch) => batch.body.batch).map((event) => event.event)).toEqual(EXPECTED_NAMES);
  });

  it.each([
    ['DO_NOT_TRACK=1', { DO_NOT_TRACK: '1' }, false],
    ['DO_NOT_TRACK=true', { DO_NOT_TRACK: 'true' }, false],
    ['--no-telemetry', {}, true],
  ])('sends nothing with %s, and still writes events.jsonl', async (_label, extraEnv, noTelemetry) => {
    const { host, batches } = await fakePostHog();
    const { observer } = observe({ env: { DROVER_POSTHOG_KEY: 'phc_test_key', DROVER_POSTHOG_HOST: host, ...extraEnv }, noTelemetry, posthogFlushAt: 1 });
    expect(observer.posthog.send).toBe(false);
    driveRun(observer, stateDir);
    // close() waits for every request the sink sent to be answered, and the fake server records a
    // batch before it answers: a request sent despite the opt-out would be in `batches` by now.
    await observer.close();
    expect(batches).toEqual([]);
    expect((await readJsonl()).map((event) => event.event)).toEqual(EXPECTED_NAMES);
  });

  it('a server that is down costs a one-line warning, and close() returns as soon as the refused requests end, not at its bound', { timeout: 60_000 }, async () => {
    const host = await closedPortHost();
    // A bound far past any load: close() ending with the refusal as the cause (not "no answer
    // within …") shows it did not wait for the bound; no clock is read.
    const { observer, warnings } = observe({ env: { DROVER_POSTHOG_KEY: 'phc_test_key', DROVER_POSTHOG_HOST: host }, shutdownTimeoutMs: 120_000 });
    driveRun(observer, stateDir);
    await observer.close();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(host);
    expect(warnings[0]).toContain('(ECONNREFUSED)');
    expect(warnings[0]).not.toContain('\n');
    expect((await readJsonl()).map((event) => event.event)).toEqual(EXPECTED_NAMES);
  });

  it('a server that never answers does not hold close() beyond the bound', { timeout: 60_000 }, async () => {
    const { host } = await fakePostHog('hang');
    const { observer, warnings } = observe({ env: { DROVER_POSTHOG_KEY: 'phc_test_key', DROVER_POSTHOG_HOST: host }, shutdownTimeoutMs: 500 });
    driveRun(observer, stateDir);
    // The server never answers: close() returning at all, with the bound as the cause, is the bound at work.
    await observer.close();
    expect(warnings).toEqual([expect.stringMatching(/no answer within 500 ms/)]);
    expect((await readJsonl()).map((event) => event.event)).toEqual(EXPECTED_NAMES);
  });
});
