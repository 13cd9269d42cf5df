import type { PostgresBackend } from '../backend/postgres/postgres-backend.js';
import { parseDatabaseUrl } from '../backend/postgres/postgres-errors.js';
import type { DatabaseRetry } from '../backend/postgres/database-retry.js';
import type { EnqueuePolicy } from '../queue/decide-enqueue.js';
import { DEFAULT_LIMITS, DEFAULT_MAX_ATTEMPTS } from '../queue/limits.js';
import { parsePoolSize } from './parse-pool-size.js';

/** For a reader (`drover status`): it enqueues nothing, so no guard is ever asked. */
export const READ_ONLY_POLICY: EnqueuePolicy = { limits: DEFAULT_LIMITS, taskTypes: new Set(), sinkTypes: new Set(), defaultMaxAttempts: DEFAULT_MAX_ATTEMPTS };

export interface OpenPostgresStoreOptions {
  readonly pollMs?: number;
  /** Told of each retry while the database is away mid-run. */
  readonly onRetry?: (retry: DatabaseRetry) => void;
  /**
   * For `drover status` and `drover dashboard`: no migration (a missing, older or newer schema
   * is one line, exit 2), no lease reaper, read-only transactions.
   */
  readonly readOnly?: boolean;
  /** How many attempts this process runs at once: sizes the connection pool. */
  readonly concurrency?: number;
  /** The lease this process's claims hold: bounds how long a query may go unanswered. */
  readonly leaseMs?: number;
  /** Ctrl-C: ends retry waits at once. */
  readonly signal?: AbortSignal;
}

/**
 * Opens the PostgreSQL store a `--store` URL names. `?schema=NAME` picks the schema drover keeps
 * its tables in (default `drover`), so several teams or tests can share one database; the
 * parameter is not passed on to the driver. A malformed or unreachable URL rejects with one
 * `input-invalid` line naming it (exit 2). The pool holds `DROVER_PG_POOL_SIZE` connections when
 * that is set, else as many as `concurrency` needs (`poolSizeFor`). The `pg` driver is loaded only here.
 */
export async function openPostgresStore(text: string, policy: EnqueuePolicy, options: OpenPostgresStoreOptions = {}): Promise<PostgresBackend> {
  const url = parseDatabaseUrl(text);
  const schema = url.searchParams.get('schema') ?? undefined;
  url.searchParams.delete('schema');
  const poolSize = parsePoolSize(process.env['DROVER_PG_POOL_SIZE']);
  const { PostgresBackend, queryTimeoutFor, DEFAULT_QUERY_TIMEOUT_MS } = await import('../backend/postgres/postgres-backend.js');
  return PostgresBackend.open(url.href, {
    policy,
    ...(schema !== undefined ? { schema } : {}),
    ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
    ...(options.onRetry !== undefined ? { onRetry: options.onRetry } : {}),
    ...(options.readOnly === true ? { readOnly: true } : {}),
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    ...(poolSize !== undefined ? { poolSize } : {}),
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
    // A worker's queries may go unanswered for a lease (its own, or the worker default); a reader's for 60 s.
    queryTimeoutMs: options.readOnly === true && options.leaseMs === undefined ? DEFAULT_QUERY_TIMEOUT_MS : queryTimeoutFor(options.leaseMs),
  });
}
