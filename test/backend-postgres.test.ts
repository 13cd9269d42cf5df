import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { PostgresBackend } from '../src/backend/postgres/index.js';
import { isDroverError } from '../src/errors/index.js';
import { TEST_POLICY } from '../src/testing/index.js';
import { describeBackendConformance, describeSeedAndReadConformance, type BackendHarness } from './conformance/backend-conformance.js';
import { emptySchema, openTestBackend, randomSchema, TEST_DATABASE_URL } from './helpers/postgres.js';

// One schema for the conformance tests of this file, migrated by the first open; each test gets
// it emptied (a file's tests run one at a time). A schema migrated and dropped per test was about
// a third of this file's time. The tests below that are about migrating use schemas of their own.
const shared = randomSchema();
const postgres: BackendHarness = {
  open: async () => {
    await emptySchema(shared);
    return openTestBackend(shared);
  },
  // A second process on another machine: its own pool, its own LISTEN connection, the same schema.
  peer: () => openTestBackend(shared),
  dispose: (backend) => backend.close(),
};
afterAll(async () => (await openTestBackend(shared)).dropSchema());
describeBackendConformance('postgres', postgres);
describeSeedAndReadConformance('postgres', postgres);

describe('PostgreSQL backend', () => {
  it('migrates once: a second open of the same schema finds it current, and concurrent opens do not collide', async () => {
    const schema = randomSchema();
    const [a, b] = await Promise.all([openTestBackend(schema), openTestBackend(schema)]);
    await b.close();
    const again = await openTestBackend(schema);
    await again.close();
    await a.dropSchema();
  });

  it('a claim that takes nothing wakes nobody: idle workers on one run do not wake each other in a loop', async () => {
    const schema = randomSchema();
    const backend = await openTestBackend(schema);
    const listener = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await listener.connect();
    try {
      await backend.createRun({ runId: 'idle', installDir: '/app', detected: { framework: null, packageManager: null } });
      await backend.markSeeded('idle');
      const woken: string[] = [];
      let wake: () => void = () => {};
      listener.on('notification', (message) => {
        woken.push(message.payload ?? '');
        wake();
      });
      await listener.query(`LISTEN "${schema}.wake"`);
      expect(await backend.claim({ worker: 'w1', max: 1, leaseMs: 5000, runId: 'idle' })).toEqual([]);
      expect(await backend.claim({ worker: 'w2', max: 1, leaseMs: 5000, runId: 'idle' })).toEqual([]);
      // A listening session is handed every notification committed before its own next transaction ends.
      await listener.query('SELECT 1');
      expect(woken).toEqual([]);
      const woke = new Promise<void>((resolve) => (wake = resolve));
      await backend.enqueue('idle', { type: 'work', reason: 'r' }, { kind: 'orchestrator' });
      await woke;
      expect(woken).toEqual(['idle']);
      expect(await backend.readEvents('idle', 0)).toHaveLength(3);
    } finally {
      await listener.end();
      await backend.dropSchema();
    }
  });

  it('says in one line what is wrong with a bad or unreachable URL, without the password', async () => {
    const bad = await PostgresBackend.open('mysql://u@h/db', { policy: TEST_POLICY }).catch((error: unknown) => error);
    expect(isDroverError(bad) && bad.code).toBe('input-invalid');
    expect((bad as Error).message).toBe('database URL: expected a postgres:// or postgresql:// URL, got the scheme "mysql"');
    const unreachable = await PostgresBackend.open('postgres://postgres:secret@127.0.0.1:1/test', { policy: TEST_POLICY }).catch((error: unknown) => error);
    expect(isDroverError(unreachable) && unreachable.code).toBe('input-invalid');
    expect((unreachable as Error).message).toMatch(/^cannot use PostgreSQL at postgres:\/\/postgres@127\.0\.0\.1:1\/test: .*ECONNREFUSED/);
    expect((unreachable as Error).message).not.toContain('secret');
    expect((unreachable as Error).message).not.toContain('\n');
    const noDatabase = await PostgresBackend.open(TEST_DATABASE_URL.replace(/\/[^/]*$/, '/no_such_database_here'), { policy: TEST_POLICY }).catch((error: unknown) => error);
    expect((noDatabase as Error).message).toMatch(/^cannot use PostgreSQL at .*no_such_database_here: database "no_such_database_here" does not exist$/);
    await expect(PostgresBackend.open(TEST_DATABASE_URL, { policy: TEST_POLICY, schema: 'Bad-Name' })).rejects.toThrow(/^database schema: expected lower-case/);
  });
});
