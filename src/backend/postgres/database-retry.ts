import { DroverError } from '../../errors/drover-error.js';
import { describeDatabaseUrl } from './postgres-errors.js';

/** One retry of an operation whose database connection failed (what `onRetry` is told). */
export interface DatabaseRetry {
  /** What was retried: the port operation (`complete`, `claim`, …) or `listen`. */
  readonly operation: string;
  /** 1 for the first retry. */
  readonly attempt: number;
  /** How long until the next try. */
  readonly delayMs: number;
  readonly error: Error;
}

export interface RetryPolicy {
  /** Give up when the database has been unreachable this long. */
  readonly retryForMs: number;
  readonly onRetry?: ((retry: DatabaseRetry) => void) | undefined;
}

/** The first delay; each retry doubles it, up to `MAX_DELAY_MS`. */
export const FIRST_DELAY_MS = 100;
export const MAX_DELAY_MS = 4000;
export const DEFAULT_RETRY_FOR_MS = 5 * 60_000;

/** Node's socket errors that mean "the connection is gone or cannot be made right now". */
const TRANSIENT_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EAI_AGAIN', 'ECONNABORTED']);
/**
 * What `pg` says (without a code) when a connection dies under it or cannot be had in time, or
 * when a query had no answer within `query_timeout` (a half-open connection: the client that
 * sent it is destroyed, and the retry gets a new one). `PostgresBackend` first checks that last
 * case with a fresh connection: if the database answers, the statement was slow, not the
 * connection lost, and it is not retried.
 */
const TRANSIENT_MESSAGE = /^(Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect|Connection timeout|Query read timeout)/;

/**
 * A failure that says nothing about the operation, only that the database could not be reached:
 * a refused, reset or dropped connection, SQLSTATE class 08 (connection exception), or the
 * server shutting down or starting up (57P01 admin shutdown, 57P02 crash shutdown, 57P03
 * cannot connect now). Retrying it is safe when the operation is fenced (see `PostgresBackend`).
 */
export function isTransient(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || TRANSIENT_ERRNO.has(code))) return true;
  if (typeof message === 'string' && TRANSIENT_MESSAGE.test(message)) return true;
  const cause = (error as { cause?: unknown }).cause;
  return cause !== undefined && cause !== error && isTransient(cause);
}

/** The delay before retry `attempt` (1-based): doubling from `FIRST_DELAY_MS`, capped, with up to half of it as jitter so many workers do not return in step. */
export function retryDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.min(attempt - 1, 16));
  return Math.round(base / 2 + (base / 2) * random());
}

/**
 * The database stayed unreachable for longer than the backend retries (`retryForMs`). Nothing
 * committed was lost, and nothing half-done was committed: the run continues once the database
 * is back (`drover run` resumes it, workers can simply be started again). Exit 4, like a state
 * directory that cannot be written.
 */
export class DatabaseUnreachableError extends DroverError {
  readonly host: string;

  constructor(url: URL, operation: string, waitedMs: number, cause: unknown) {
    const why = firstLine(cause);
    super('state-unwritable', `PostgreSQL at ${describeDatabaseUrl(url)} has been unreachable for ${formatDuration(waitedMs)} (${operation}: ${why}); gave up. Nothing was lost: start drover again once the database is back.`, { cause });
    this.name = 'DatabaseUnreachableError';
    this.host = url.host;
  }
}

export function isDatabaseUnreachableError(value: unknown): value is DatabaseUnreachableError {
  return value instanceof DatabaseUnreachableError;
}

/** "2 s", "1.5 min". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${Math.round(ms / 100) / 10} s`;
  return `${Math.round(ms / 6000) / 10} min`;
}

function firstLine(error: unknown): string {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' && message !== '' ? message : typeof code === 'string' ? code : String(error);
  return text.split('\n')[0]!;
}
