import type { PostgresBackend } from '../backend/postgres/postgres-backend.js';
import { parseDatabaseUrl } from '../backend/postgres/postgres-errors.js';
import type { EnqueuePolicy } from '../queue/decide-enqueue.js';
import { DEFAULT_LIMITS, DEFAULT_MAX_ATTEMPTS } from '../queue/limits.js';

/** For a reader (`drover status`): it enqueues nothing, so no guard is ever asked. */
export const READ_ONLY_POLICY: EnqueuePolicy = { limits: DEFAULT_LIMITS, taskTypes: new Set(), sinkTypes: new Set(), defaultMaxAttempts: DEFAULT_MAX_ATTEMPTS };

/**
 * Opens the PostgreSQL store a `--store` URL names. `?schema=NAME` picks the schema drover keeps
 * its tables in (default `drover`), so several teams or tests can share one database; the
 * parameter is not passed on to the driver. A malformed or unreachable URL rejects with one
 * `input-invalid` line naming it (exit 2). The `pg` driver is loaded only here.
 */
export async function openPostgresStore(text: string, policy: EnqueuePolicy, options: { readonly pollMs?: number } = {}): Promise<PostgresBackend> {
  const url = parseDatabaseUrl(text);
  const schema = url.searchParams.get('schema') ?? undefined;
  url.searchParams.delete('schema');
  const { PostgresBackend } = await import('../backend/postgres/postgres-backend.js');
  return PostgresBackend.open(url.href, { policy, ...(schema !== undefined ? { schema } : {}), ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}) });
}
