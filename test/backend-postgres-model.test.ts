import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalBackend, type AttemptEnd, type AttemptRef, type Backend, type BackendCaller } from '../src/backend/index.js';
import type { PostgresBackend } from '../src/backend/postgres/index.js';
import { applyEvent, emptyQueueState, toSnapshot, type QueueEvent, type QueueSnapshot } from '../src/queue/index.js';
import { MemoryStore, TEST_POLICY } from '../src/testing/index.js';
import { seedTaskRequest } from '../src/queue/seed-task.js';
import { openTestBackend, randomSchema } from './helpers/postgres.js';

/**
 * The SQL transitions against the pure model: the same random operation sequence is applied to
 * the PostgreSQL backend and to the local backend (the pure `queue/` functions behind
 * `RunQueue`). Every answer, every event and the final state must agree; and folding the SQL
 * backend's own events with `applyEvent` must rebuild exactly the state its tables hold.
 */
type Op =
  | { kind: 'enqueue'; type: string; input: number; deps: number[]; optional: boolean; maxAttempts: number; by: number | null }
  | { kind: 'claim'; worker: 'w1' | 'w2'; max: number }
  | { kind: 'complete'; attempt: number; status: 'done' | 'failed' | 'skipped' }
  | { kind: 'finish'; attempt: number; end: AttemptEnd['kind'] }
  | { kind: 'refuse'; attempt: number }
  | { kind: 'seeded' };

const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('enqueue' as const), type: fc.constantFrom('a', 'b', 'c', 'report'), input: fc.nat({ max: 3 }), deps: fc.uniqueArray(fc.nat({ max: 40 }), { maxLength: 3 }), optional: fc.boolean(), maxAttempts: fc.integer({ min: 1, max: 2 }), by: fc.option(fc.nat({ max: 20 }), { nil: null }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('claim' as const), worker: fc.constantFrom('w1' as const, 'w2' as const), max: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('complete' as const), attempt: fc.nat({ max: 30 }), status: fc.constantFrom('done' as const, 'done' as const, 'failed' as const, 'skipped' as const) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('finish' as const), attempt: fc.nat({ max: 30 }), end: fc.constantFrom<AttemptEnd['kind']>('returned', 'returned', 'threw', 'timeout', 'interrupted') }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('refuse' as const), attempt: fc.nat({ max: 30 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('seeded' as const) }) },
);

const endOf = (kind: AttemptEnd['kind']): AttemptEnd => (kind === 'threw' ? { kind, message: 'boom' } : kind === 'timeout' ? { kind, afterMs: 5 } : { kind });

/** Everything but the clocks: timestamps come from two different clocks. */
function withoutClocks<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (key, field: unknown) => (['ts', 'createdAt', 'updatedAt', 'startedAt', 'finishedAt', 'completedAt', 'leaseExpiresAt'].includes(key) ? undefined : field))) as T;
}

async function apply(backend: Backend, runId: string, ops: readonly Op[]): Promise<unknown[]> {
  const answers: unknown[] = [];
  const attempts: AttemptRef[] = [];
  const ids: string[] = [];
  for (const op of ops) {
    switch (op.kind) {
      case 'enqueue': {
        const parent = op.by === null || attempts.length === 0 ? undefined : attempts[op.by % attempts.length];
        const caller: BackendCaller = parent === undefined ? { kind: 'orchestrator' } : { kind: 'task', ...parent };
        // Mostly existing tasks (so graphs grow), now and then an unknown id (so the guard is exercised too).
        const dependsOn = op.deps.map((i) => (i === 40 || ids.length === 0 ? `missing-${i}` : ids[i % ids.length]!));
        const outcome = await backend.enqueue(runId, { type: op.type, inputs: { n: op.input }, dependsOn, optional: op.optional, maxAttempts: op.maxAttempts }, caller);
        if (outcome.ok) ids.push(outcome.value.id);
        answers.push(outcome);
        break;
      }
      case 'claim': {
        // Only w1 has the seeder of a run's seed task: w2 passes over it.
        const claimed = await backend.claim({ runId, worker: op.worker, max: op.max, leaseMs: 10 * 60_000, seeders: op.worker === 'w1' ? ['s'] : [] });
        attempts.push(...claimed);
        answers.push(claimed.map(({ taskId, attempt, worker }) => ({ taskId, attempt, worker })));
        break;
      }
      case 'complete': {
        const ref = attempts.length === 0 ? undefined : attempts[op.attempt % attempts.length];
        answers.push(ref === undefined ? null : await backend.complete(ref, op.status, { goal: 'g', did: `${op.status}`, forNextAgent: 'n' }));
        break;
      }
      case 'finish': {
        const ref = attempts.length === 0 ? undefined : attempts[op.attempt % attempts.length];
        answers.push(ref === undefined ? null : await backend.finishAttempt(ref, endOf(op.end)));
        break;
      }
      case 'refuse': {
        const ref = attempts.length === 0 ? undefined : attempts[op.attempt % attempts.length];
        if (ref !== undefined) await backend.refuse({ kind: 'task', ...ref }, 'read_handoffs', 'invalid-input', 'taskId: expected a string');
        answers.push(ref === undefined ? null : 'refused');
        break;
      }
      case 'seeded':
        await backend.markSeeded(runId);
        answers.push('seeded');
        break;
    }
  }
  return answers;
}

/** A small refusal budget, so random sequences reach it: the budget trip and the runaway ending are compared too. */
const policy = { ...TEST_POLICY, limits: { ...TEST_POLICY.limits, maxRefusalsPerAttempt: 1 } };

describe('PostgreSQL transitions against the pure queue model (fast-check)', () => {
  let sql: PostgresBackend;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    const schema = randomSchema();
    sql = await openTestBackend(schema, { reaperIntervalMs: 60_000, policy });
    cleanup = () => sql.dropSchema();
  });
  afterAll(async () => {
    await cleanup();
  });

  it('same operations → same answers, same events, same state; the SQL events replay to the SQL tables', { timeout: 180_000 }, async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.array(opArbitrary, { minLength: 1, maxLength: 40 }), async (withSeed, ops) => {
        const runId = `prop-${(n += 1)}`;
        // Half the runs start with a seed task: its claim, its completion marking the run seeded, a sink waiting for it.
        const run = { runId, installDir: '/app', detected: { framework: null, packageManager: null }, ...(withSeed ? { seed: seedTaskRequest('s', {}) } : {}) };
        const local = new LocalBackend(new MemoryStore(), policy, { reaperIntervalMs: 60_000 });
        try {
          await local.createRun(run);
          await sql.createRun(run);
          const expectedAnswers = await apply(local, runId, ops);
          const answers = await apply(sql, runId, ops);
          expect(withoutClocks(answers)).toEqual(withoutClocks(expectedAnswers));
          const expectedEvents = await local.readEvents(runId, 0, 10_000);
          const events = await sql.readEvents(runId, 0, 10_000);
          expect(withoutClocks(events)).toEqual(withoutClocks(expectedEvents));
          const snapshot = (await sql.readRun(runId))!;
          expect(withoutClocks(snapshot)).toEqual(withoutClocks((await local.readRun(runId))!));
          const replayed = emptyQueueState();
          for (const event of events as QueueEvent[]) applyEvent(replayed, event);
          expect(JSON.parse(JSON.stringify(toSnapshot(replayed))) as QueueSnapshot).toEqual(snapshot);
          expect(snapshot.seq).toBe(events.length);
        } finally {
          await local.close();
        }
      }),
      { numRuns: 25 },
    );
  });
});
