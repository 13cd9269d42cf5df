import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { functionAgent } from '../src/agents/function-agent.js';
import { Worker } from '../src/runner/worker.js';
import type { PostgresBackend } from '../src/backend/postgres/index.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../src/backend/postgres/migrations.js';
import { TEST_POLICY } from '../src/testing/index.js';
import { SEED_TASK_ID, seedTaskRequest } from '../src/queue/seed-task.js';
import { openTestBackend, randomSchema, sql } from './helpers/postgres.js';

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

  it('upgrades a version-4 schema in place, with an attempt in flight, and the run drains', async () => {
    const schema = randomSchema();
    const old = await openTestBackend(schema, { reaperIntervalMs: LONG });
    await old.createRun(run);
    await old.enqueueBatch(run.runId, (add) => [add({ type: 'a' }), add({ type: 'b', dependsOn: ['a-1'] })]);
    const [inFlight] = await old.claim({ runId: run.runId, worker: 'w', max: 1, leaseMs: LONG });
    await old.close();
    // Back to version 4: the functions and the runs' start counter were what version 5 added, the program column version 6.
    for (const fn of ['claim_ready', 'complete_attempt', 'finish_reported', 'begin_op', 'record_events', 'now_text']) await sql(`DROP FUNCTION "${schema}".${fn}`);
    await sql(`ALTER TABLE "${schema}".runs DROP COLUMN starts`);
    await sql(`ALTER TABLE "${schema}".runs DROP COLUMN program`);
    await sql(`DELETE FROM "${schema}".migrations WHERE version >= 5`);

    const upgraded = await openTestBackend(schema, { reaperIntervalMs: LONG });
    cleanups.push(() => upgraded.dropSchema());
    expect((await sql<{ version: number }>(`SELECT max(version) AS version FROM "${schema}".migrations`))[0]!.version).toBe(SCHEMA_VERSION);
    // The start counter begins from the attempts made so far.
    expect(await sql(`SELECT starts::int FROM "${schema}".runs`)).toEqual([{ starts: 1 }]);
    expect(await upgraded.complete(inFlight!, 'done', handoff)).toEqual({ ok: true, value: { status: 'done' } });
    expect(await upgraded.finishAttempt(inFlight!, { kind: 'returned' })).toBe('applied');
    const [next] = await upgraded.claim({ runId: run.runId, worker: 'w', max: 1, leaseMs: LONG });
    expect(await upgraded.complete(next!, 'done', handoff)).toEqual({ ok: true, value: { status: 'done' } });
    expect((await upgraded.readRun(run.runId))!.tasks.map((task) => task.status)).toEqual(['done', 'done']);
  });

  it('upgrades a version-5 schema: each run is keyed by its seed task’s seeder (integrate without one), and claim_ready takes only from the programs named', async () => {
    const schema = randomSchema();
    const old = await openTestBackend(schema, { reaperIntervalMs: LONG });
    const fanout = 'fanout:0123456789abcdef';
    await old.createRun({ ...run, runId: 'fan', seed: seedTaskRequest(fanout, {}) });
    await old.createRun({ ...run, runId: 'int', seed: seedTaskRequest('integrate', {}) });
    await old.createRun({ ...run, runId: 'bare' });
    await old.enqueueBatch('bare', (add) => [add({ type: 'a' })]);
    await old.close();
    // Back to version 5: claim_ready with its version-5 signature, and no program column.
    await sql(`DROP FUNCTION "${schema}".claim_ready`);
    await sql(`ALTER TABLE "${schema}".runs DROP COLUMN program`);
    await sql(`DELETE FROM "${schema}".migrations WHERE version = 6`);
    await sql(MIGRATIONS.find((m) => m.version === 5)!.sql.replaceAll('$S', `"${schema}"`).replace('ADD COLUMN starts', 'ADD COLUMN IF NOT EXISTS starts').replace(/^UPDATE .*$/m, ''));
    expect((await sql<{ n: number }>(`SELECT pronargs::int AS n FROM pg_proc p JOIN pg_namespace s ON s.oid = p.pronamespace WHERE s.nspname = $1 AND p.proname = 'claim_ready'`, [schema]))).toEqual([{ n: 7 }]);

    const upgraded = await openTestBackend(schema, { reaperIntervalMs: LONG });
    cleanups.push(() => upgraded.dropSchema());
    expect((await sql<{ version: number }>(`SELECT max(version) AS version FROM "${schema}".migrations`))[0]!.version).toBe(6);
    expect(await sql(`SELECT id, program FROM "${schema}".runs ORDER BY id`)).toEqual([
      { id: 'bare', program: 'integrate' },
      { id: 'fan', program: fanout },
      { id: 'int', program: 'integrate' },
    ]);
    // The function itself: another program's claim takes nothing and changes nothing; the run's own takes its task.
    const claimReady = (programs: string[] | null) => sql<{ out: { state: string; result: Array<{ id: string }> } }>(`SELECT "${schema}".claim_ready(gen_random_uuid(), $1, 'bare', 'w', 1, 60000, 10, $2) AS out`, [schema, programs]);
    expect((await claimReady([fanout]))[0]!.out).toEqual({ state: 'done', result: [] });
    expect((await upgraded.readRun('bare'))!.tasks.map((task) => task.status)).toEqual(['pending']);
    expect((await claimReady(['integrate']))[0]!.out.result.map((row) => row.id)).toEqual(['a-1']);
    // Through the port, without a run named: a fanout worker sees only its run's seed task.
    const claimed = await upgraded.claim({ worker: 'w', max: 5, leaseMs: LONG, seeders: [fanout, 'integrate'], programs: [fanout] });
    expect(claimed.map((attempt) => [attempt.runId, attempt.taskId])).toEqual([['fan', 'seed']]);
  });

  it('a claim that names programs takes the one-statement path once the run is settled, and it filters too', async () => {
    const backend = await writer();
    await backend.createRun({ ...run, program: 'fanout:0123456789abcdef' });
    await backend.enqueueBatch(run.runId, (add) => [add({ type: 'a' })]);
    const other = await statementsOf(() => backend.claim({ runId: run.runId, worker: 'w', max: 1, leaseMs: LONG, programs: ['integrate'] }));
    expect(other.value).toEqual([]);
    expect(other.statements.filter((text) => /claim_ready/.test(text))).toHaveLength(1);
    const own = await backend.claim({ runId: run.runId, worker: 'w', max: 1, leaseMs: LONG, programs: ['fanout:0123456789abcdef'] });
    expect(own.map((attempt) => attempt.taskId)).toEqual(['a-1']);
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

  it('a person\'s retry after the backstop tripped gives the run a fresh budget: the retried task starts, rather than failing at once', async () => {
    const backend = await writer(randomSchema(), { maxStartsPerTask: 1 });
    await backend.createRun(run);
    const [loop] = await backend.enqueueBatch(run.runId, (add) => [add({ type: 'loop' })]);
    const [first] = await backend.claim({ runId: run.runId, worker: 'w', max: 1, leaseMs: LONG });
    expect(await backend.finishAttempt(first!, { kind: 'interrupted' })).toBe('applied');
    // One start of a one-task run at one per task: the next claim fails the task.
    expect(await backend.claim({ runId: run.runId, worker: 'w', max: 1, leaseMs: LONG })).toEqual([]);
    expect((await backend.readRun(run.runId))!.tasks.map((task) => [task.status, task.error?.kind])).toEqual([['failed', 'backstop']]);

    expect(await backend.retryTask(run.runId, loop!, { by: 'dashboard' })).toEqual({ ok: true });
    const [again] = await backend.claim({ runId: run.runId, worker: 'w', max: 1, leaseMs: LONG });
    expect(again?.taskId).toBe(loop);
    expect((await backend.readRun(run.runId))!.tasks.map((task) => task.status)).toEqual(['running']);
  });

  it('the claim that trips the backstop records the run\'s verdict when nothing is left to run, so a worker without --run (which ends only the runs its attempts touched) leaves no run stuck running', async () => {
    const schema = randomSchema();
    const other = await writer(schema, { maxStartsPerTask: 1 });
    await other.createRun(run);
    const [a, b] = await other.enqueueBatch(run.runId, (add) => [add({ type: 'a' }), add({ type: 'b', dependsOn: ['a-1'] })]);
    await other.markSeeded(run.runId);
    // Another worker uses up the run's two starts on `a` (a give-back, then a completion): `b` is ready, with no start left.
    const [first] = await other.claim({ runId: run.runId, worker: 'o/1', max: 1, leaseMs: LONG });
    expect(await other.finishAttempt(first!, { kind: 'interrupted' })).toBe('applied');
    const [second] = await other.claim({ runId: run.runId, worker: 'o/2', max: 1, leaseMs: LONG });
    expect(second?.taskId).toBe(a);
    expect(await other.complete(second!, 'done', handoff)).toEqual({ ok: true, value: { status: 'done' } });
    expect(await other.finishAttempt(second!, { kind: 'returned' })).toBe('applied');

    // A worker without --run finds `b` ready; its claim fails it (backstop). None of its attempts touched the run.
    const backend = await openTestBackend(schema, { reaperIntervalMs: LONG, maxStartsPerTask: 1 });
    cleanups.push(() => backend.close());
    const stateDir = await mkdtemp(join(tmpdir(), 'drover-backstop-'));
    cleanups.push(() => rm(stateDir, { recursive: true, force: true }));
    const stop = new AbortController();
    const started: string[] = [];
    const worker = new Worker({ backend, agent: functionAgent(async (task) => void started.push(task.id)), workdir: stateDir, stateDir, leaseMs: LONG, signal: stop.signal });
    const running = worker.run();
    for await (const event of other.watchEvents(run.runId, 0, stop.signal)) if (event.event === 'task-failed' && event.taskId === b) break;
    stop.abort();
    await running;
    expect(started).toEqual([]);
    const snapshot = (await other.readRun(run.runId))!;
    expect(snapshot.tasks.map((task) => [task.id, task.status, task.error?.kind])).toEqual([
      [a, 'done', undefined],
      [b, 'failed', 'backstop'],
    ]);
    expect(snapshot.status).toBe('failed');
  });

  it('the reaper that fails a run\'s last task (its worker died once too often) records the run\'s verdict, which no worker of that run is left to record', async () => {
    const backend = await writer(randomSchema(), { maxGiveBacks: 1 });
    await backend.createRun(run);
    const [a] = await backend.enqueueBatch(run.runId, (add) => [add({ type: 'a' })]);
    await backend.markSeeded(run.runId);
    // A lease that ended before it began: its worker is as good as dead.
    const [attempt] = await backend.claim({ runId: run.runId, worker: 'dead/1', max: 1, leaseMs: -60_000 });
    expect(attempt?.taskId).toBe(a);
    expect(await backend.reapExpiredLeases()).toBe(1);
    const snapshot = (await backend.readRun(run.runId))!;
    expect(snapshot.tasks.map((task) => [task.id, task.status, task.error?.kind])).toEqual([[a, 'failed', 'crashed']]);
    expect(snapshot.status).toBe('failed');
  });

  it('the reaper that fails the seed task for good (its worker died once too often) fails the unseeded run', async () => {
    const backend = await writer(randomSchema(), { maxGiveBacks: 1 });
    await backend.createRun({ ...run, seed: seedTaskRequest('integrate', { how: 'explorer' }) });
    const [attempt] = await backend.claim({ runId: run.runId, worker: 'dead/1', max: 1, leaseMs: -60_000, seeders: ['integrate'] });
    expect(attempt?.taskId).toBe(SEED_TASK_ID);
    expect(await backend.reapExpiredLeases()).toBe(1);
    const snapshot = (await backend.readRun(run.runId))!;
    expect(snapshot.tasks.map((task) => [task.id, task.status, task.error?.kind])).toEqual([[SEED_TASK_ID, 'failed', 'crashed']]);
    expect(snapshot.seeded).toBe(false);
    expect(snapshot.status).toBe('failed');
  });
});
