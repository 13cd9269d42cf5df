import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PostgresBackend, type PostgresBackendOptions } from '../../src/backend/postgres/index.js';
import type { QueueEvent } from '../../src/queue/index.js';
import { TEST_POLICY } from '../../src/testing/index.js';

/** The database the PostgreSQL tests use; `.ci/run` makes sure it is up. */
export const TEST_DATABASE_URL = process.env['DROVER_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A schema name of its own for one test, so tests never see each other's runs. */
export function randomSchema(): string {
  return `drover_test_${randomBytes(6).toString('hex')}`;
}

/** Runs one statement on the test database over a connection of its own, and returns its rows. */
export async function sql<R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** The `--store` URL of the test database with drover's tables in `schema`. */
export function storeUrl(schema: string): string {
  return `${TEST_DATABASE_URL}?schema=${schema}`;
}

/** Every event of one run in `schema`, read through a backend of its own (closed after). */
export async function readRunEvents(schema: string, runId: string): Promise<QueueEvent[]> {
  const backend = await openTestBackend(schema);
  try {
    return await backend.readEvents(runId, 0, 100_000);
  } finally {
    await backend.close();
  }
}

/** A backend on the test database (or on `url`, e.g. a proxy in front of it), in `schema`. */
export function openTestBackend(schema: string, options: Partial<PostgresBackendOptions> & { readonly url?: string } = {}): Promise<PostgresBackend> {
  const { url = TEST_DATABASE_URL, ...rest } = options;
  return PostgresBackend.open(url, { schema, policy: TEST_POLICY, reaperIntervalMs: 25, pollMs: 500, ...rest });
}

/**
 * Empties every table drover made in `schema` (all but its record of applied migrations): an
 * empty run store again, without dropping and migrating the schema anew. For a test file whose
 * tests each need an empty store but never run at the same time.
 */
export async function emptySchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(`SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables WHERE schemaname = $1 AND tablename <> 'migrations'`, [schema]);
    if (rows.length > 0) await client.query(`TRUNCATE ${rows.map((row) => row.name).join(', ')}`);
  } finally {
    await client.end();
  }
}
