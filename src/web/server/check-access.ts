import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * The cookie carrying the token, named per port: browsers do not keep cookies apart by port, so
 * two dashboards on one machine would otherwise overwrite each other's (and send it to each other).
 */
export function tokenCookie(port: number): string {
  return `drover_token_${port}`;
}

/**
 * Whether the request names this server as its host: `127.0.0.1:PORT` or `localhost:PORT`.
 * Anything else is a page on another origin whose DNS name was rebound to 127.0.0.1.
 */
export function hostAllowed(request: IncomingMessage, port: number): boolean {
  const host = request.headers.host?.toLowerCase();
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

/** The token the request carries: `?token=`, `Authorization: Bearer`, or this port's `drover_token_PORT` cookie. */
export function presentedTokens(request: IncomingMessage, url: URL, port: number): string[] {
  const out: string[] = [];
  const query = url.searchParams.get('token');
  if (query !== null) out.push(query);
  const auth = request.headers.authorization;
  if (auth !== undefined && /^Bearer /i.test(auth)) out.push(auth.slice(7).trim());
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === tokenCookie(port)) out.push(part.slice(at + 1).trim());
  }
  return out;
}

export function tokenMatches(presented: readonly string[], token: string): boolean {
  const expected = Buffer.from(token);
  return presented.some((candidate) => {
    const given = Buffer.from(candidate);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
