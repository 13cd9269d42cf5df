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

/** The header the page sends with every action; a cross-site form cannot set it, and a cross-site fetch that does must pass CORS first (it never will). */
export const ACTION_HEADER = 'x-drover-action';

/**
 * Cross-site request forgery check for an action (a POST): the browser's `Origin` must be this
 * dashboard (`http://127.0.0.1:PORT` or `http://localhost:PORT`); a request without `Origin` (a
 * script, curl) must carry the `X-Drover-Action` header instead; `Sec-Fetch-Site`, when sent,
 * must say same-origin. Returns why a request is refused, or undefined.
 */
export function actionRefusal(request: IncomingMessage, port: number): string | undefined {
  const origin = request.headers.origin;
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return `a ${String(site)} request cannot act on this dashboard`;
  if (origin !== undefined) {
    return origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}` ? undefined : `origin ${origin} cannot act on this dashboard`;
  }
  return request.headers[ACTION_HEADER] === undefined ? `an action without an Origin header must carry the ${ACTION_HEADER} header` : undefined;
}
