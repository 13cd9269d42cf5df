import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { AttemptRef } from '../src/backend/index.js';
import type { DatabaseRetry, PostgresBackend } from '../src/backend/postgres/index.js';
import type { QueueEvent } from '../src/queue/index.js';
import { assertDependenciesFirst } from './conformance/backend-conformance.js';
import { openTestBackend, randomSchema, TEST_DATABASE_URL } from './helpers/postgres.js';

/**
 * The database goes away mid-run. A TCP proxy (in this process) stands between a backend and
 * PostgreSQL; dropping it refuses new connections and cuts every open one, exactly as a
 * database restart or a network partition does. A second, direct backend checks the truth.
 */
class TcpProxy {
  readonly #target: URL;
  readonly #sockets = new Set<Socket>();
  #server: Server | undefined;
  #port = 0;
  /** When set, the next COMMIT is passed on and its reply lost (the connection is cut instead). */
  #loseCommitReply: (() => void) | undefined;

  constructor(target: URL) {
    this.#target = target;
  }

  get url(): string {
    const url = new URL(this.#target.href);
    url.host = `127.0.0.1:${this.#port}`;
    return url.href;
  }

  async up(): Promise<void> {
    const server = createServer((client) => this.#pipe(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#port, '127.0.0.1', () => resolve());
    });
    this.#port = (server.address() as { port: number }).port;
    this.#server = server;
  }

  /** Refuses new connections and cuts the open ones. */
  async down(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    const closed = new Promise<void>((resolve) => server?.close(() => resolve()) ?? resolve());
    for (const socket of this.#sockets) socket.destroy();
    await closed;
  }

  /** Resolves once a COMMIT reached the database and the connection was cut before its reply got back. */
  loseNextCommitReply(): Promise<void> {
    return new Promise((resolve) => (this.#loseCommitReply = resolve));
  }

  #pipe(client: Socket): void {
    const server = createConnection({ host: this.#target.hostname, port: Number(this.#target.port || 5432) });
    this.#sockets.add(client).add(server);
    let swallow: (() => void) | undefined;
    client.on('data', (chunk: Buffer) => {
      // Simple-protocol COMMIT: 'Q', length, "COMMIT\0".
      if (this.#loseCommitReply !== undefined && chunk.includes('COMMIT\0')) {
        swallow = this.#loseCommitReply;
        this.#loseCommitReply = undefined;
      }
      server.write(chunk);
    });
    server.on('data', (chunk: Buffer) => {
      if (swallow === undefined) {
        client.write(chunk);
        return;
      }
      // The database has committed and answered: the answer never arrives.
      client.destroy();
      server.destroy();
      swallow();
      swallow = undefined;
    });
    const end = (): void => {
      client.destroy();
      server.destroy();
      this.#sockets.delete(client);
      this.#sockets.delete(server);
    };
    client.on('close', end).on('error', end);
    server.on('close', end).on('error', end);
  }
}

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
    await proxy.down();
    const error = await proxied.listRuns().catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ name: 'DatabaseUnreachableError', code: 'state-unwritable' });
    expect((error as Error).message).toMatch(new RegExp(`^PostgreSQL at postgres://postgres@127\\.0\\.0\\.1:\\d+/test has been unreachable for [\\d.]+ (ms|s) \\(listRuns: .*ECONNREFUSED.*\\); gave up\\. Nothing was lost: start drover again once the database is back\\.$`));
    expect(retried.seen.filter((retry) => retry.operation === 'listRuns').map((retry) => retry.attempt)).toEqual(retried.seen.filter((retry) => retry.operation === 'listRuns').map((_, i) => i + 1));
  });
});
