import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { AttemptRef } from '../src/backend/index.js';
import { poolSizeFor, type DatabaseRetry, type PostgresBackend } from '../src/backend/postgres/index.js';
import { openTestBackend, randomSchema, sql, TEST_DATABASE_URL } from './helpers/postgres.js';
import { TcpProxy } from './helpers/tcp-proxy.js';

/**
 * The PostgreSQL backend's review findings (issue 11): a read-only open that writes nothing,
 * a pool sized for the concurrency, give-backs that are counted, and a query timeout that
 * turns a half-open connection into a retry.
 */
const run = { runId: 'hardening', installDir: '/app', detected: { framework: null, packageManager: null } };
const orchestrator = { kind: 'orchestrator' } as const;
const LONG = 10 * 60_000;

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function schemaExists(schema: string): Promise<boolean> {
  return (await sql<{ n: number }>('SELECT count(*)::int AS n FROM information_schema.schemata WHERE schema_name = $1', [schema]))[0]!.n === 1;
}

/** A writer whose own reaper stays out of the way (the test calls it). */
async function writer(options: Parameters<typeof openTestBackend>[1] = {}): Promise<PostgresBackend> {
  const backend = await openTestBackend(randomSchema(), { reaperIntervalMs: LONG, ...options });
  cleanups.push(() => backend.dropSchema());
  return backend;
}

describe('PostgreSQL backend: a read-only open (drover status, drover dashboard)', () => {
  it('on a schema that does not exist: one line naming it, exit 2, and nothing is created', async () => {
    const schema = randomSchema();
    const opened = openTestBackend(schema, { readOnly: true });
    await expect(opened).rejects.toMatchObject({ code: 'input-invalid', message: `postgres://postgres@127.0.0.1:5432/test?schema=${schema}: no drover schema here (run \`drover run --store\` or \`drover worker\` first)` });
    expect(await schemaExists(schema)).toBe(false);
  });

  it('on a schema older or newer than this drover knows: one line each, exit 2, and nothing is migrated', async () => {
    const backend = await writer();
    await sql(`DELETE FROM "${backend.schema}".migrations WHERE version = (SELECT max(version) FROM "${backend.schema}".migrations)`);
    const versions = async (): Promise<number[]> => (await sql<{ version: number }>(`SELECT version FROM "${backend.schema}".migrations ORDER BY version`)).map((row) => row.version);
    const before = await versions();
    await expect(openTestBackend(backend.schema, { readOnly: true })).rejects.toMatchObject({ code: 'input-invalid', message: expect.stringMatching(/: the drover schema is at version \d+, older than this drover's \(\d+\); a `drover worker` or `drover run --store` of this version upgrades it/) as unknown });
    expect(await versions()).toEqual(before);
    await sql(`INSERT INTO "${backend.schema}".migrations (version) VALUES (999)`);
    await expect(openTestBackend(backend.schema, { readOnly: true })).rejects.toMatchObject({ code: 'input-invalid', message: expect.stringMatching(/: the drover schema is at version 999, newer than this drover knows \(\d+\); upgrade drover$/) as unknown });
  });

  it('reads a run but gives no expired lease back and refuses every write', async () => {
    const backend = await writer();
    await backend.createRun(run);
    await backend.enqueue(run.runId, { type: 'work' }, orchestrator);
    await backend.markSeeded(run.runId);
    // A lease that ended the moment it was taken: the worker holding it is as good as dead.
    const [claimed] = await backend.claim({ worker: 'dead', max: 1, leaseMs: -1000, runId: run.runId });
    const reader = await openTestBackend(backend.schema, { readOnly: true, reaperIntervalMs: 10 });
    cleanups.push(() => reader.close());
    expect((await reader.readRun(run.runId))!.tasks.map((task) => task.status)).toEqual(['running']);
    expect(await reader.reapExpiredLeases()).toBe(0);
    await expect(reader.createRun({ ...run, runId: 'other' })).rejects.toMatchObject({ code: '25006' });
    expect((await backend.readRun(run.runId))!.tasks.map((task) => task.status)).toEqual(['running']);
    // The lease had expired all along: a worker's reaper gives it back.
    expect(await backend.reapExpiredLeases()).toBe(1);
    expect(claimed!.taskId).toBe((await backend.readRun(run.runId))!.tasks[0]!.id);
  });
});

describe('PostgreSQL backend: give-backs are counted', () => {
  it('the reaper gives a task back twice, and the third time its worker dies it fails the task with the reason and blocks its dependents', async () => {
    const backend = await writer({ maxGiveBacks: 3 });
    await backend.createRun(run);
    const killer = await backend.enqueue(run.runId, { type: 'work' }, orchestrator);
    if (!killer.ok) throw new Error(killer.message);
    expect(await backend.enqueue(run.runId, { type: 'work', inputs: { after: 'killer' }, dependsOn: [killer.value.id] }, orchestrator)).toMatchObject({ ok: true });
    await backend.markSeeded(run.runId);
    for (let death = 1; death <= 3; death += 1) {
      const [claimed] = await backend.claim({ worker: `w${death}`, max: 1, leaseMs: -1000, runId: run.runId });
      expect(claimed).toMatchObject({ taskId: killer.value.id, attempt: 1 });
      expect(await backend.reapExpiredLeases()).toBe(1);
    }
    const tasks = (await backend.readRun(run.runId))!.tasks;
    expect(tasks.map((task) => [task.status, task.attempts])).toEqual([
      ['failed', 1],
      ['blocked', 0],
    ]);
    expect(tasks[0]!.error).toMatchObject({ kind: 'crashed', message: expect.stringMatching(/^its worker died 3 times while running it/) as unknown });
    const events = await backend.readEvents(run.runId, 0);
    expect(events.filter((event) => 'taskId' in event && event.taskId === killer.value.id).map((event) => event.event)).toEqual(['task-enqueued', 'task-started', 'task-requeued', 'task-started', 'task-requeued', 'task-started', 'task-failed']);
    expect(await backend.claim({ worker: 'w4', max: 1, leaseMs: LONG, runId: run.runId })).toEqual([]);
  });
});

describe('PostgreSQL backend: a retry after the workers kept dying', () => {
  it('gives the task a fresh budget of give-backs (one more lost worker requeues it, not fails it at once), and it may start at once', async () => {
    const backend = await writer({ maxGiveBacks: 2 });
    await backend.createRun(run);
    const oom = await backend.enqueue(run.runId, { type: 'oom', maxAttempts: 5 }, orchestrator);
    if (!oom.ok) throw new Error(oom.message);
    await backend.markSeeded(run.runId);
    const status = async (): Promise<string> => (await backend.readRun(run.runId))!.tasks[0]!.status;
    // Two workers die holding it: the reaper gives it back once, then fails it.
    for (const worker of ['dead-1', 'dead-2']) {
      expect(await backend.claim({ worker, max: 1, leaseMs: -1000, runId: run.runId })).toHaveLength(1);
      expect(await backend.reapExpiredLeases()).toBe(1);
    }
    expect(await status()).toBe('failed');
    // A person retries it (the machine was fixed); the next worker dies once: the task is given back.
    expect(await backend.retryTask(run.runId, oom.value.id, { by: 'dashboard' })).toEqual({ ok: true });
    expect(await backend.claim({ worker: 'dead-3', max: 1, leaseMs: -1000, runId: run.runId })).toHaveLength(1);
    expect(await backend.reapExpiredLeases()).toBe(1);
    expect(await status()).toBe('pending');
  });
});

describe('PostgreSQL backend: the pool is sized for the concurrency', () => {
  it('sizes one connection per attempt plus three, at least 4 and at most 40', () => {
    expect([1, 4, 8, 64].map(poolSizeFor)).toEqual([4, 7, 11, 40]);
  });

  it('8 attempts keep their leases while their completions wait on the run lock another worker holds (heartbeats do not queue behind them)', async () => {
    const backend = await writer({ concurrency: 8 });
    await backend.createRun(run);
    for (let i = 0; i < 8; i += 1) await backend.enqueue(run.runId, { type: 'work', inputs: { i } }, orchestrator);
    await backend.markSeeded(run.runId);
    const claimed = await backend.claim({ worker: 'w', max: 8, leaseMs: 60_000, runId: run.runId });
    expect(claimed).toHaveLength(8);
    const refs: AttemptRef[] = claimed.map((c) => ({ runId: c.runId, taskId: c.taskId, attempt: c.attempt, worker: c.worker }));
    // Another worker's long enqueue holds the run's exclusive lock: every completion waits for it, holding a connection.
    const holder = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await holder.connect();
    cleanups.push(() => holder.end());
    await holder.query('SELECT pg_advisory_lock(hashtext($1), hashtext($2))', [backend.schema, run.runId]);
    const completions = refs.map((ref) => backend.complete(ref, 'done', { goal: 'g', did: 'd', forNextAgent: 'n' }));
    // Completions are waiting on the lock (as many as the old fixed pool of 4 held) before the heartbeats go out.
    for (;;) {
      const waiting = await sql<{ n: number }>(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND classid::bigint = (hashtext($1)::bigint & 4294967295)`, [backend.schema]);
      if (waiting[0]!.n >= 4) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await Promise.all(refs.map((ref) => backend.heartbeat(ref, 60_000)))).toEqual(refs.map(() => true));
    await holder.query('SELECT pg_advisory_unlock(hashtext($1), hashtext($2))', [backend.schema, run.runId]);
    expect((await Promise.all(completions)).map((outcome) => outcome.ok)).toEqual(refs.map(() => true));
  });
});

describe('PostgreSQL backend: a query that is never answered', () => {
  it('fails after the query timeout as a lost connection, is retried on a new connection, and succeeds once the database answers', async () => {
    const backend = await writer();
    await backend.createRun(run);
    const proxy = new TcpProxy(new URL(TEST_DATABASE_URL));
    await proxy.up();
    cleanups.push(() => proxy.down());
    let onRetry!: (retry: DatabaseRetry) => void;
    const retried = new Promise<DatabaseRetry>((resolve) => (onRetry = resolve));
    const proxied = await openTestBackend(backend.schema, { url: proxy.url, reaperIntervalMs: LONG, queryTimeoutMs: 300, onRetry, retryForMs: 120_000 });
    cleanups.push(() => proxied.close());
    // A half-open connection: the query goes out, no answer ever comes back.
    proxy.stall();
    const read = proxied.readRun(run.runId);
    const retry = await retried;
    expect(retry).toMatchObject({ operation: 'readRun', error: { message: 'Query read timeout' } });
    proxy.resume();
    expect((await read)!.runId).toBe(run.runId);
  });
});

describe('PostgreSQL backend: a statement slower than the query timeout on a database that answers', () => {
  it('fails at once with one line (exit 4), is not retried as "unreachable", and is cancelled on the server', async () => {
    const backend = await writer();
    await backend.createRun(run);
    const retries: DatabaseRetry[] = [];
    const slow = await openTestBackend(backend.schema, { reaperIntervalMs: LONG, queryTimeoutMs: 300, retryForMs: 120_000, onRetry: (retry) => retries.push(retry) });
    cleanups.push(() => slow.close());
    // Another session holds the run's lock, so the enqueue's first statement waits past the query timeout on a healthy database.
    const holder = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await holder.connect();
    cleanups.push(() => holder.end());
    await holder.query('BEGIN');
    await holder.query('SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))', [backend.schema, run.runId]);
    const error: unknown = await slow.enqueue(run.runId, { type: 'work' }, orchestrator).catch((rejected: unknown) => rejected);
    expect(error).toMatchObject({ code: 'state-unwritable', message: expect.stringMatching(/answers, but a statement of enqueue got no answer within the query timeout \(300 ms\); it was cancelled on the server/) });
    expect(retries).toEqual([]);
    // The cancelled statement no longer waits on the lock (without the cancel it would wait as long as the holder).
    await expect.poll(async () => sql(`SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE $1`, [`%${backend.schema}%`])).toEqual([]);
    await holder.query('ROLLBACK');
    expect((await backend.readRun(run.runId))!.tasks).toEqual([]);
  });
});

describe('PostgreSQL backend: a failure blocks its descendants, each once', () => {
  it('walks a graph with many paths breadth-first, naming the first dependency through which each task was reached', async () => {
    const policy = { limits: { maxTasks: 200, maxDepth: 4, maxChildren: 200, maxRefusalsPerAttempt: 5 }, taskTypes: null, sinkTypes: new Set<string>(), defaultMaxAttempts: 1 };
    const backend = await writer({ policy });
    await backend.createRun(run);
    // A pipeline: each stage depends on the root and on the stage before (2^n paths to the last); plus a side task two deep.
    const ids = await backend.enqueueBatch(run.runId, (add) => {
      const root = add({ type: 'work', label: 'root', inputs: {}, reason: 'r' });
      const stages = [root];
      for (let i = 1; i <= 60; i += 1) stages.push(add({ type: 'work', label: `stage ${i}`, inputs: { i }, dependsOn: i > 1 ? [root, stages[i - 1]!] : [root], reason: 'r' }));
      const side = add({ type: 'work', label: 'side', inputs: { side: true }, dependsOn: [stages[60]!], reason: 'r' });
      return { root, stages: stages.slice(1), side };
    });
    await backend.markSeeded(run.runId);
    const [claimed] = await backend.claim({ worker: 'w', max: 1, leaseMs: LONG, runId: run.runId });
    expect(claimed!.taskId).toBe(ids.root);
    const before = (await backend.readRun(run.runId))!.seq;
    expect(await backend.finishAttempt({ runId: run.runId, taskId: ids.root, attempt: 1, worker: 'w' }, { kind: 'threw', message: 'x' })).toBe('applied');
    const blocked = (await backend.readEvents(run.runId, before)).flatMap((event) => (event.event === 'task-blocked' ? [[event.taskId, event.blockedBy]] : []));
    expect(blocked).toEqual([...ids.stages.map((id) => [id, ids.root]), [ids.side, ids.stages[59]]]);
  });
});

describe('PostgreSQL backend: a read-only open whose URL carries its own options', () => {
  it('still refuses every write (the URL options= replaces the pool config options)', async () => {
    const backend = await writer();
    await backend.createRun(run);
    const url = new URL(TEST_DATABASE_URL);
    url.searchParams.set('options', '-c search_path=public');
    const reader = await openTestBackend(backend.schema, { url: url.href, readOnly: true, reaperIntervalMs: LONG });
    cleanups.push(() => reader.close());
    await expect(reader.createRun({ ...run, runId: 'written-by-a-reader' })).rejects.toMatchObject({ code: '25006' });
    expect(await backend.readRun('written-by-a-reader')).toBeUndefined();
  });
});

describe('PostgreSQL backend: a task the reaper failed (last give-back) fences its last worker off', () => {
  it('a late complete_task from that worker is refused as not-running and its finishAttempt is stale', async () => {
    const backend = await writer({ maxGiveBacks: 1 });
    await backend.createRun(run);
    await backend.enqueue(run.runId, { type: 'work' }, orchestrator);
    await backend.markSeeded(run.runId);
    // A live worker whose lease lapsed (a slow link): with maxGiveBacks 1 the reaper fails the task at once.
    const [claimed] = await backend.claim({ worker: 'slow', max: 1, leaseMs: -1000, runId: run.runId });
    expect(await backend.reapExpiredLeases()).toBe(1);
    const ref: AttemptRef = { runId: run.runId, taskId: claimed!.taskId, attempt: claimed!.attempt, worker: 'slow' };
    expect(await backend.complete(ref, 'done', { goal: 'g', did: 'd', forNextAgent: 'n' })).toMatchObject({ ok: false, guard: 'not-running' });
    expect(await backend.finishAttempt(ref, { kind: 'returned' })).toBe('stale');
    expect((await backend.readRun(run.runId))!.tasks.find((task) => task.id === ref.taskId)).toMatchObject({ status: 'failed' });
  });
});

describe('a retried task and the worker still ending its last attempt', () => {
  it('that worker\'s heartbeats keep the retried task held (no second worker starts it) until its attempt ends', async () => {
    const backend = await openTestBackend(randomSchema(), { reaperIntervalMs: LONG });
    cleanups.push(() => backend.dropSchema());
    await backend.createRun(run);
    const enqueued = await backend.enqueue(run.runId, { type: 'work', maxAttempts: 1 }, orchestrator);
    if (!enqueued.ok) throw new Error(enqueued.message);
    await backend.markSeeded(run.runId);
    const [first] = await backend.claim({ worker: 'a', max: 1, leaseMs: LONG, runId: run.runId });
    const ref: AttemptRef = { runId: run.runId, taskId: first!.taskId, attempt: first!.attempt, worker: 'a' };
    expect(await backend.complete(ref, 'failed', { goal: 'g', did: 'd', forNextAgent: 'n' })).toMatchObject({ ok: true });
    // The agent reported its failure and is still exiting: the worker's heartbeat still holds the attempt.
    expect(await backend.heartbeat(ref, LONG)).toBe(true);
    expect(await backend.retryTask(run.runId, ref.taskId, { by: 'dashboard' })).toEqual({ ok: true });
    expect(await backend.heartbeat(ref, LONG)).toBe(true);
    // Past the retry's grace, the lease the heartbeat extended still holds the task back.
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    cleanups.push(() => admin.end());
    const { rows } = await admin.query<{ later: boolean }>(`SELECT lease_expires_at > now() + interval '1 minute' AS later FROM "${backend.schema}".tasks WHERE run_id = $1 AND id = $2`, [run.runId, ref.taskId]);
    expect(rows[0]?.later).toBe(true);
    expect(await backend.claim({ worker: 'b', max: 1, leaseMs: LONG, runId: run.runId })).toEqual([]);
    // The old attempt ends: the task is free, and another worker starts it.
    await backend.finishAttempt(ref, { kind: 'returned' });
    expect(await backend.heartbeat(ref, LONG)).toBe(false);
    expect((await backend.claim({ worker: 'b', max: 1, leaseMs: LONG, runId: run.runId })).map((claimed) => claimed.taskId)).toEqual([ref.taskId]);
  });
});
