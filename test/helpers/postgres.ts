import { randomBytes } from 'node:crypto';
import { PostgresBackend, type PostgresBackendOptions } from '../../src/backend/postgres/index.js';
import { TEST_POLICY } from '../../src/testing/index.js';

/** The database the PostgreSQL tests use; `.ci/run` makes sure it is up. */
export const TEST_DATABASE_URL = process.env['DROVER_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A schema name of its own for one test, so tests never see each other's runs. */
export function randomSchema(): string {
  return `drover_test_${randomBytes(6).toString('hex')}`;
}

export function openTestBackend(schema: string, options: Partial<PostgresBackendOptions> = {}): Promise<PostgresBackend> {
  return PostgresBackend.open(TEST_DATABASE_URL, { schema, policy: TEST_POLICY, reaperIntervalMs: 25, pollMs: 500, ...options });
}
