import { createConnection, createServer, type Server, type Socket } from 'node:net';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { DatabaseRetry, PostgresBackend } from '../src/backend/postgres/index.js';
import { openTestBackend, randomSchema, TEST_DATABASE_URL } from './helpers/postgres.js';

/**
 * After a query timeout the backend probes with a fresh connection and, if the
 * database answers, treats the statement as "slow" (exit 4). But a database that crashed (no
 * RST reached the client) and came back before the query timeout also answers the probe: the
 * statement's server process is gone, pg_cancel_backend returns false, and the outage is
 * misreported as a slow statement instead of being retried.
 */
const run = { runId: 'probe', installDir: '/app', detected: { framework: null, packageManager: null } };
const LONG = 10 * 60_000;
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A proxy whose `blackHole()` silences the connections open now in both directions and hides their close (a crashed host); new connections flow. */
class BlackHoleProxy {
  readonly #sockets = new Set<Socket>();
  readonly #frozen = new WeakSet<Socket>();
  readonly upstreamPorts: number[] = [];
  #server: Server | undefined;
  port = 0;

  async up(): Promise<void> {
    const server = createServer((client) => this.#pipe(client));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    this.port = (server.address() as { port: number }).port;
    this.#server = server;
  }

  url(): string {
    const url = new URL(TEST_DATABASE_URL);
    url.host = `127.0.0.1:${this.port}`;
    return url.href;
  }

  /** Returns the local ports of the silenced upstream connections (the database sees them as client_port). */
  blackHole(): number[] {
    const ports: number[] = [];
    for (const socket of this.#sockets) {
      this.#frozen.add(socket);
      if ((socket as Socket & { upstream?: boolean }).upstream === true && socket.localPort !== undefined) ports.push(socket.localPort);
    }
    return ports;
  }

  async down(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()) ?? resolve());
  }

  #pipe(client: Socket): void {
    const server = createConnection({ host: '127.0.0.1', port: Number(new URL(TEST_DATABASE_URL).port || 5432) });
    (server as Socket & { upstream?: boolean }).upstream = true;
    this.#sockets.add(client).add(server);
    client.on('data', (chunk: Buffer) => {
      if (!this.#frozen.has(client)) server.write(chunk);
    });
    server.on('data', (chunk: Buffer) => {
      if (!this.#frozen.has(server)) client.write(chunk);
    });
    const end = (): void => {
      // A crashed host says nothing: the client keeps waiting.
      if (this.#frozen.has(server)) return;
      client.destroy();
      server.destroy();
    };
    client.on('close', end).on('error', end);
    server.on('close', end).on('error', end);
  }
}

async function crashAndReturn(crash = true): Promise<{ proxied: PostgresBackend; retries: DatabaseRetry[]; schema: string }> {
  const backend = await openTestBackend(randomSchema(), { reaperIntervalMs: LONG });
  cleanups.push(() => backend.dropSchema());
  await backend.createRun(run);
  const proxy = new BlackHoleProxy();
  await proxy.up();
  cleanups.push(() => proxy.down());
  const retries: DatabaseRetry[] = [];
  const proxied: PostgresBackend = await openTestBackend(backend.schema, { url: proxy.url(), reaperIntervalMs: LONG, queryTimeoutMs: 500, retryForMs: 120_000, onRetry: (retry) => retries.push(retry) });
  cleanups.push(() => proxied.close());
  // Warm a connection, then the "host" crashes: its connections go silent (no RST reaches drover), their server processes die.
  expect((await proxied.readRun(run.runId))!.runId).toBe(run.runId);
  const ports = proxy.blackHole();
  expect(ports.length).toBeGreaterThan(0);
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  cleanups.push(() => admin.end());
  if (crash) {
    const killed = await admin.query('SELECT pid, pg_terminate_backend(pid) FROM pg_stat_activity WHERE client_port = ANY($1::int[])', [ports]);
    expect(killed.rows.length).toBe(ports.length);
  }
  // The database is back (new connections work) before the query on the dead connection times out.
  return { proxied, retries, schema: backend.schema };
}

describe('PostgreSQL: the probe after a query timeout tells an outage from a slow statement', () => {
  it('readRun: a database that crashed and is back by the probe is an outage (retried), not a slow statement (exit 4)', async () => {
    const { proxied, retries } = await crashAndReturn();
    const read = await proxied.readRun(run.runId).catch((error: unknown) => error);
    expect(read).toMatchObject({ runId: run.runId });
    expect(retries.map((retry) => retry.error.message)).toContain('Query read timeout');
  });

  it('enqueue (a transaction): the same outage is retried, and the task is enqueued once', async () => {
    const { proxied, retries } = await crashAndReturn();
    const enqueued = await proxied.enqueue(run.runId, { type: 'work' }, { kind: 'orchestrator' }).catch((error: unknown) => error);
    expect(enqueued).toMatchObject({ ok: true });
    expect(retries.map((retry) => retry.error.message)).toContain('Query read timeout');
    expect((await proxied.readRun(run.runId))!.tasks).toHaveLength(1);
  });

  it('a half-open connection to a healthy database (the statement never reached the server, or its answer was lost) is retried, not a slow statement', async () => {
    const { proxied, retries } = await crashAndReturn(false);
    const read = await proxied.readRun(run.runId).catch((error: unknown) => error);
    expect(read).toMatchObject({ runId: run.runId });
    expect(retries.map((retry) => retry.error.message)).toContain('Query read timeout');
  });
});
