import { afterEach, describe, expect, it } from 'vitest';
import type { AttemptRef } from '../src/backend/index.js';
import type { DatabaseRetry, PostgresBackend } from '../src/backend/postgres/index.js';
import type { QueueEvent } from '../src/queue/index.js';
import { assertDependenciesFirst } from './conformance/backend-conformance.js';
import { openTestBackend, randomSchema, TEST_DATABASE_URL } from './helpers/postgres.js';
import { TcpProxy } from './helpers/tcp-proxy.js';

const run = { runId: 'outage', installDir: '/app', detected: { framework: null, packageManager: null } };
const orchestrator = { kind: 'orchestrator' } as const;
const handoff = { goal: 'g', did: 'd', forNextAgent: 'n' };
const LONG = 10 * 60_000;

function retries(): { readonly seen: DatabaseRetry[]; onRetry: (retry: DatabaseRetry) => void; next(match: (retry: DatabaseRetry) => boolean): Promise<DatabaseRetry> } {
  const seen: DatabaseRetry[] = [];
  const waiting = new Set<{ match: (retry: DatabaseRetry) => boolean; resolve: (retry: DatabaseRetry) => void }>();
  return {
    seen,
    onRetry: (retry) => {
      seen.push(retry);
      for (const waiter of [...waiting]) {
        if (!waiter.match(retry)) continue;
        waiting.delete(waiter);
        waiter.resolve(retry);
      }
    },
    next: (match) => new Promise((resolve) => waiting.add({ match, resolve })),
  };
}

describe('PostgreSQL backend: the database goes away mid-run', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setUp(): Promise<{ proxy: TcpProxy; direct: PostgresBackend; proxied: PostgresBackend; retried: ReturnType<typeof retries> }> {
    const schema = randomSchema();
    const direct = await openTestBackend(schema, { reaperIntervalMs: 60_000 });
    cleanups.push(() => direct.dropSchema());
    const proxy = new TcpProxy(new URL(TEST_DATABASE_URL));
    await proxy.up();
    cleanups.push(() => proxy.down());
    const retried = retries();
    const proxied = await openTestBackend(schema, { reaperIntervalMs: 60_000, onRetry: retried.onRetry, retryForMs: 120_000, url: proxy.url });
    cleanups.push(() => proxied.close());
    return { proxy, direct, proxied, retried };
  }

  it('a worker rides out an outage: it says so, retries, and nothing is lost or done twice; LISTEN reconnects', { timeout: 120_000 }, async () => {
    const { proxy, direct, proxied, retried } = await setUp();
    await direct.createRun(run);
    const ids = await direct.enqueueBatch(run.runId, (add) => {
      const out: string[] = [];
      for (let i = 0; i < 40; i += 1) out.push(add({ type: 'work', inputs: { i }, dependsOn: i >= 4 ? [out[i - 4]!] : [] }));
      return out;
    });
    let completed = 0;
    let onTenth!: () => void;
    const tenth = new Promise<void>((resolve) => (onTenth = resolve));
    const answers: unknown[] = [];
    const worker = (async () => {
      while (completed < ids.length) {
        const claimed = await proxied.claim({ runId: run.runId, worker: 'w', max: 2, leaseMs: LONG });
        if (claimed.length === 0) {
          await proxied.waitForWork(500);
          continue;
        }
        for (const attempt of claimed) {
          const outcome = await proxied.complete(attempt, 'done', handoff);
          answers.push(outcome);
          if (outcome.ok) completed += 1;
          if (completed === 10) onTenth();
          answers.push(await proxied.finishAttempt(attempt, { kind: 'returned' }));
        }
      }
    })();
    await tenth;
    const opRetried = retried.next((retry) => retry.operation !== 'listen' && retry.attempt >= 2);
    const listenRetried = retried.next((retry) => retry.operation === 'listen');
    await proxy.down();
    await Promise.all([opRetried, listenRetried]);
    await proxy.up();
    await worker;

    expect(answers.filter((answer) => answer !== 'applied' && (answer as { ok?: boolean }).ok !== true)).toEqual([]);
    const events = (await direct.readEvents(run.runId, 0, 10_000)) as QueueEvent[];
    expect(events.map((event) => event.seq)).toEqual(events.map((_, i) => i + 1));
    const count = (kind: QueueEvent['event']): Map<string, number> => {
      const out = new Map<string, number>();
      for (const event of events) if (event.event === kind && 'taskId' in event) out.set(event.taskId!, (out.get(event.taskId!) ?? 0) + 1);
      return out;
    };
    expect([...count('task-completed').values()]).toEqual(ids.map(() => 1));
    expect([...count('task-started').values()]).toEqual(ids.map(() => 1));
    expect(events.filter((event) => event.event === 'guard-tripped' || event.event === 'task-requeued')).toEqual([]);
    assertDependenciesFirst(events);
    expect((await direct.readRun(run.runId))!.tasks.every((task) => task.status === 'done' && task.attempts === 1)).toBe(true);
    // The worker said what it was doing: each retry with its operation, attempt and delay.
    expect(retried.seen.length).toBeGreaterThan(1);
    for (const retry of retried.seen) expect(retry.delayMs).toBeLessThanOrEqual(4000);

    // LISTEN is back: a wait with no timeout to speak of ends on a notification from another process.
    while (!proxied.listening) await proxied.waitForWork(60_000);
    const woken = proxied.waitForWork(LONG);
    await direct.enqueue(run.runId, { type: 'after' }, orchestrator);
    await woken;
  });

  it('an operation whose commit succeeded but whose reply was lost applies once and answers as the first try would have', { timeout: 60_000 }, async () => {
    const { proxy, direct, proxied, retried } = await setUp();
    const lost = async <T>(call: () => Promise<T>): Promise<T> => {
      const cut = proxy.loseNextCommitReply();
      const answer = await call();
      await cut;
      return answer;
    };
    await lost(() => proxied.createRun(run));
    const ids = await lost(() => proxied.enqueueBatch(run.runId, (add) => [add({ type: 'a' }), add({ type: 'b' })]));
    expect(await lost(() => proxied.enqueue(run.runId, { type: 'c', dependsOn: [ids[0]!] }, orchestrator))).toEqual({ ok: true, value: { id: 'c-3' } });
    const claimed = await lost(() => proxied.claim({ runId: run.runId, worker: 'w', max: 5, leaseMs: LONG }));
    expect(claimed.map((attempt) => [attempt.taskId, attempt.attempt])).toEqual([
      [ids[0], 1],
      [ids[1], 1],
    ]);
    const [a, b] = claimed as unknown as [AttemptRef, AttemptRef];
    expect(await lost(() => proxied.complete(a, 'done', handoff))).toEqual({ ok: true, value: { status: 'done' } });
    expect(await lost(() => proxied.finishAttempt(a, { kind: 'returned' }))).toBe('applied');
    expect(await lost(() => proxied.complete(b, 'failed', handoff))).toEqual({ ok: true, value: { status: 'failed' } });
    expect(await lost(() => proxied.finishAttempt(b, { kind: 'threw', message: 'boom' }))).toBe('applied');
    await lost(() => proxied.refuse({ kind: 'task', ...b }, 'read_handoffs', 'invalid-input', 'once'));
    await lost(() => proxied.markSeeded(run.runId));
    await lost(() => proxied.finishRun(run.runId, 'interrupted', [], []));

    expect(retried.seen.map((retry) => retry.operation)).toEqual(['createRun', 'enqueueBatch', 'enqueue', 'claim', 'complete', 'finishAttempt', 'complete', 'finishAttempt', 'refuse', 'markSeeded', 'finishRun']);
    const events = await direct.readEvents(run.runId, 0);
    expect(events.map((event) => [event.event, 'taskId' in event ? event.taskId : undefined])).toEqual([
      ['run-started', undefined],
      ['task-enqueued', ids[0]],
      ['task-enqueued', ids[1]],
      ['task-enqueued', 'c-3'],
      ['task-started', ids[0]],
      ['task-started', ids[1]],
      ['task-completed', ids[0]],
      ['task-requeued', ids[1]],
      ['guard-tripped', ids[1]],
      ['run-seeded', undefined],
      ['run-finished', undefined],
    ]);
    expect((await direct.readRun(run.runId))!.tasks.map((task) => [task.id, task.status, task.attempts])).toEqual([
      [ids[0], 'done', 1],
      [ids[1], 'pending', 1],
      ['c-3', 'pending', 0],
    ]);
  });

  it('gives up after retryForMs with one line naming the database, exit 4', { timeout: 60_000 }, async () => {
    const proxy = new TcpProxy(new URL(TEST_DATABASE_URL));
    await proxy.up();
    const schema = randomSchema();
    const direct = await openTestBackend(schema);
    cleanups.push(() => direct.dropSchema());
    const retried = retries();
    const proxied = await openTestBackend(schema, { retryForMs: 1500, onRetry: retried.onRetry, url: proxy.url });
    cleanups.push(() => proxied.close());
    await direct.createRun(run);
    await direct.enqueue(run.runId, { type: 'a' }, orchestrator);
    const [attempt] = await proxied.claim({ runId: run.runId, worker: 'w', max: 1, leaseMs: LONG });
    await proxy.down();
    // A heartbeat fails at once (the worker's next beat is its retry), so a worker learns in time that its lease is not being extended.
    await expect(proxied.heartbeat(attempt!, LONG)).rejects.toThrow(/ECONNREFUSED|Connection terminated/);
    expect(retried.seen.filter((retry) => retry.operation === 'heartbeat')).toEqual([]);
    const error = await proxied.listRuns().catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ name: 'DatabaseUnreachableError', code: 'state-unwritable' });
    expect((error as Error).message).toMatch(new RegExp(`^PostgreSQL at postgres://postgres@127\\.0\\.0\\.1:\\d+/test has been unreachable for [\\d.]+ (ms|s) \\(listRuns: .*ECONNREFUSED.*\\); gave up\\. Nothing was lost: start drover again once the database is back\\.$`));
    expect(retried.seen.filter((retry) => retry.operation === 'listRuns').map((retry) => retry.attempt)).toEqual(retried.seen.filter((retry) => retry.operation === 'listRuns').map((_, i) => i + 1));
  });
});
