import { DroverError } from '../../errors/drover-error.js';

/** The URL without its password, for messages. */
export function describeDatabaseUrl(url: URL): string {
  return `${url.protocol}//${url.username === '' ? '' : `${decodeURIComponent(url.username)}@`}${url.host}${url.pathname}`;
}

/** Parses a database URL, or says in one line what was expected. */
export function parseDatabaseUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new DroverError('input-invalid', `database URL: expected postgres://user@host:port/database, got "${text.replace(/:[^:@/]*@/, ':***@')}"`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new DroverError('input-invalid', `database URL: expected a postgres:// or postgresql:// URL, got the scheme "${url.protocol.replace(/:$/, '')}"`);
  }
  return url;
}

/** A failed connection as one line naming where and why (no stack, no password). */
export function unreachable(url: URL, error: unknown): DroverError {
  const cause = error as { code?: string; message?: string };
  const why = cause.message !== undefined && cause.message !== '' ? cause.message : (cause.code ?? String(error));
  return new DroverError('input-invalid', `cannot use PostgreSQL at ${describeDatabaseUrl(url)}: ${why.split('\n')[0]}`, { cause: error });
}

/** Deadlocks and serialization failures are retried: the transaction changed nothing. */
export function isRetryable(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === '40P01' || code === '40001';
}
