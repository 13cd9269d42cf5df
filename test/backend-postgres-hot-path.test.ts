import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { PostgresBackend } from '../src/backend/postgres/index.js';
import { TEST_POLICY } from '../src/testing/index.js';
import { openTestBackend, randomSchema, TEST_DATABASE_URL } from './helpers/postgres.js';

/**
 * The hot transitions as functions (migration 5): a claim, a done completion and the end of its
 * attempt are one statement each; the other cases take the TypeScript path, whose answers the
 * conformance suite and the model test check. A schema of the previous version, with an attempt
 * in flight, is upgraded in place. A large batch refreshes the planner's statistics.
 */
const run = { runId: 'hot', installDir: '/app', detected: { framework: null, packageManager: null } };
const orchestrator = { kind: 'orchestrator' } as const;
const LONG = 10 * 60_000;
const handoff = { goal: 'g', did: 'd', forNextAgent: 'n' };

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function sql<R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

async function writer(schema = randomSchema(), options: Parameters<typeof openTestBackend>[1] = {}): Promise<PostgresBackend> {
  const backend = await openTestBackend(schema, { reaperIntervalMs: LONG, poolSize: 1, ...options });
  cleanups.push(() => backend.dropSchema());
  return backend;
}

/** The statements `pg` sends while `call` runs (each is one round trip), from this process. */
async function statementsOf<T>(call: () => Promise<T>): Promise<{ value: T; statements: string[] }> {
  const statements: string[] = [];
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const first = args[0] as string | { text?: string };
    statements.push(typeof first === 'string' ? first : (first.text ?? ''));
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof query;
  try {
    return { value: await call(), statements };
  } finally {
    pg.Client.prototype.query = query;
  }
}

describe('PostgreSQL backend: the hot transitions', () => {
  it('a claim, a done completion and the end of its attempt are one statement each, with the same events as the full path', async () => {
    const backend = await writer();
    await backend.createRun(run);
    const [a] = await backend.enqueueBatch(run.runId, (add) => [add({ type: 'a' }), add({ type: 'b', dependsOn: ['a-1'] })]);
    await backend.markSeeded(run.runId);

    const claim = await statementsOf(() => backend.claim({ runId: run.runId, worker: 'w', max: 2, leaseMs: LONG }));
    expect(claim.statements).toHaveLength(1);
    expect(claim.value.map((attempt) => [attempt.taskId, attempt.attempt, attempt.task.status])).toEqual([[a, 1, 'running']]);
    const [attempt] = claim.value;
    const done = await statementsOf(() => backend.complete(attempt!, 'done', { ...handoff, filesTouched: ['x.ts'] }));
    expect(done).toEqual({ value: { ok: true, value: { status: 'done' } }, statements: [expect.any(String)] });
    const ended = await statementsOf(() => backend.finishAttempt(attempt!, { kind: 'returned' }));
    expect(ended).toEqual({ value: 'applied', statements: [expect.any(String)] });
    // The attempt is over: the same call again is stale, still one statement.
    expect((await statementsOf(() => backend.finishAttempt(attempt!, { kind: 'returned' }))).value).toBe('stale');

    // The dependent was released by the completion.
    const [next] = await backend.claim({ runId: run.runId, worker: 'w', max: 1, leaseMs: LONG });
    expect(next?.taskId).toBe('b-2');
    const events = await backend.readEvents(run.runId, 0);
    const completed = events.find((event) => event.event === 'task-completed');
    expect(completed).toMatchObject({ taskId: a, handoff: { taskId: a, type: 'a', status: 'done', goal: 'g', did: 'd', forNextAgent: 'n', filesTouched: ['x.ts'], completedAt: completed!.ts } });
    expect(events.map((event) => event.seq)).toEqual(events.map((_, i) => i + 1));
    expect(await backend.readHandoffs(run.runId, { taskId: a }, orchestrator)).toEqual([(completed as { handoff: unknown }).handoff]);
  });

  it('a failure, a write scope and a late call take the full path, and a declined call changes nothing', async () => {
    const backend = await writer();
    await backend.createRun(run);
    await backend.enqueueBatch(run.runId, (add) => [add({ type: 'a', maxAttempts: 1 }), add({ type: 'b', writes: ['src/**'] })]);
    const [a] = await backend.claim({ runId: run.runId, worker: 'w', max: 1, leaseMs: LONG });
    const failed = await statementsOf(() => backend.complete(a!, 'failed', handoff));
    expect(failed.value).toEqual({ ok: true, value: { status: 'failed' } });
    expect(failed.statements).toContain('BEGIN');
    // A task with a write scope: the function declines (one statement, nothing changed), the full path claims it.
    const scoped = await statementsOf(() => backend.claim({ runId: run.runId, worker: 'w', max: 1, leaseMs: LONG }));
    expect(scoped.value.map((attempt) => attempt.taskId)).toEqual(['b-2']);
    expect(scoped.statements[0]).toMatch(/claim_ready/);
    expect(scoped.statements).toContain('BEGIN');
    // A late completion from a worker that does not hold the lease is refused, as before.
    expect(await backend.complete({ ...a!, worker: 'other' }, 'done', handoff)).toMatchObject({ ok: false, guard: 'not-running' });
    const events = (await backend.readEvents(run.runId, 0)).map((event) => event.event);
    expect(events).toEqual(['run-started', 'task-enqueued', 'task-enqueued', 'task-started', 'task-failed', 'task-started', 'guard-tripped']);
    expect((await sql<{ n: number }>(`SELECT count(*)::int AS n FROM "${backend.schema}".ops WHERE result IS NULL`))[0]!.n).toBe(0);
  });

  it('upgrades a schema of the previous version in place, with an attempt in flight, and the run drains', async () => {
    const schema = randomSchema();
    const old = await openTestBackend(schema, { reaperIntervalMs: LONG });
    await old.createRun(run);
    await old.enqueueBatch(run.runId, (add) => [add({ type: 'a' }), add({ type: 'b', dependsOn: ['a-1'] })]);
    const [inFlight] = await old.claim({ runId: run.runId, worker: 'w', max: 1, leaseMs: LONG });
    await old.close();
    // Back to version 4: the functions and the runs' start counter were what version 5 added.
    for (const fn of ['claim_ready', 'complete_attempt', 'finish_reported', 'begin_op', 'record_events', 'now_text']) await sql(`DROP FUNCTION "${schema}".${fn}`);
    await sql(`ALTER TABLE "${schema}".runs DROP COLUMN starts`);
    await sql(`DELETE FROM "${schema}".migrations WHERE version = 5`);

    const upgraded = await openTestBackend(schema, { reaperIntervalMs: LONG });
    cleanups.push(() => upgraded.dropSchema());
    expect((await sql<{ version: number }>(`SELECT max(version) AS version FROM "${schema}".migrations`))[0]!.version).toBe(5);
    // The start counter begins from the attempts made so far.
    expect(await sql(`SELECT starts::int FROM "${schema}".runs`)).toEqual([{ starts: 1 }]);
    expect(await upgraded.complete(inFlight!, 'done', handoff)).toEqual({ ok: true, value: { status: 'done' } });
    expect(await upgraded.finishAttempt(inFlight!, { kind: 'returned' })).toBe('applied');
    const [next] = await upgraded.claim({ runId: run.runId, worker: 'w', max: 1, leaseMs: LONG });
    expect(await upgraded.complete(next!, 'done', handoff)).toEqual({ ok: true, value: { status: 'done' } });
    expect((await upgraded.readRun(run.runId))!.tasks.map((task) => task.status)).toEqual(['done', 'done']);
  });

  it('a batch of 1,000 tasks or more refreshes the planner statistics of tasks and edges; a small one leaves them', async () => {
    const backend = await writer(randomSchema(), { policy: { ...TEST_POLICY, limits: { ...TEST_POLICY.limits, maxTasks: 2000, maxChildren: 2000 } } });
    await backend.createRun(run);
    const analyzed = async (): Promise<Array<{ relname: string; analyzed: boolean }>> =>
      sql(`SELECT relname, last_analyze IS NOT NULL AS analyzed FROM pg_stat_user_tables WHERE schemaname = $1 AND relname IN ('tasks', 'edges') ORDER BY relname`, [backend.schema]);
    await backend.enqueueBatch(run.runId, (add) => {
      for (let i = 0; i < 10; i += 1) add({ type: 'small', inputs: { i } });
    });
    expect(await analyzed()).toEqual([
      { relname: 'edges', analyzed: false },
      { relname: 'tasks', analyzed: false },
    ]);
    await backend.enqueueBatch(run.runId, (add) => {
      let previous: string | undefined;
      for (let i = 0; i < 1000; i += 1) previous = add({ type: 'large', inputs: { i }, ...(previous !== undefined ? { dependsOn: [previous] } : {}) });
    });
    expect(await analyzed()).toEqual([
      { relname: 'edges', analyzed: true },
      { relname: 'tasks', analyzed: true },
    ]);
  });

  it('the start backstop holds for the run, across workers with or without a run named: past it a claim fails what is pending', async () => {
    const schema = randomSchema();
    const a = await writer(schema, { maxStartsPerTask: 2 });
    const b = await openTestBackend(schema, { reaperIntervalMs: LONG, maxStartsPerTask: 2 });
    cleanups.push(() => b.close());
    await a.createRun(run);
    const [loop] = await a.enqueueBatch(run.runId, (add) => [add({ type: 'loop' }), add({ type: 'after', dependsOn: ['loop-1'] })]);
    // Each worker starts the task once and gives it back (a graceful stop costs no attempt): two starts for a one-task budget of 2 × 2.
    for (const [backend, runId] of [[a, run.runId], [b, undefined]] as const) {
      const [attempt] = await backend.claim({ worker: 'w', max: 1, leaseMs: LONG, ...(runId !== undefined ? { runId } : {}) });
      expect(attempt?.taskId).toBe(loop);
      expect(await backend.finishAttempt(attempt!, { kind: 'interrupted' })).toBe('applied');
    }
    const [third] = await b.claim({ worker: 'w', max: 2, leaseMs: LONG });
    expect(third?.taskId).toBe(loop);
    expect(await b.finishAttempt(third!, { kind: 'interrupted' })).toBe('applied');
    const [fourth] = await a.claim({ worker: 'w', max: 1, leaseMs: LONG, runId: run.runId });
    expect(await a.finishAttempt(fourth!, { kind: 'interrupted' })).toBe('applied');
    // Four starts of a two-task run at two per task: nothing starts any more, and what is pending fails.
    expect(await b.claim({ worker: 'w', max: 1, leaseMs: LONG })).toEqual([]);
    const tasks = (await a.readRun(run.runId))!.tasks;
    expect(tasks.map((task) => [task.id, task.status, task.error?.kind])).toEqual([
      [loop, 'failed', 'backstop'],
      ['after-2', 'blocked', 'blocked'],
    ]);
    expect(tasks[0]!.error?.message).toBe('the run reached its limit of 2 starts per task and stopped starting tasks');
  });
});
