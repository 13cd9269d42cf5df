import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ActionOutcome, RunActions, RunReader } from '../../backend/backend.js';
import { isDroverError } from '../../errors/drover-error.js';
import { actionRefusal, hostAllowed, presentedTokens, tokenCookie, tokenMatches } from './check-access.js';
import { DashboardApi, NotFound, type JsonReply } from './dashboard-api.js';
import { readStaticFile, STATIC_DIR } from './serve-static.js';

export interface DashboardServerOptions {
  readonly reader: RunReader;
  /** 0 (the default): a free port. */
  readonly port?: number;
  /** Where the page's files are (default: `static/` beside this module). */
  readonly staticDir?: string;
  /** Above this many tasks a graph collapses sibling groups (default 300). */
  readonly collapseAbove?: number;
  /** How often an idle event stream gets a `: keep-alive` comment. Default 15 s. */
  readonly keepAliveMs?: number;
  /**
   * `--allow-actions`: who records a retry or a cancel. Without it the dashboard is read-only
   * and every POST is 405.
   */
  readonly actions?: RunActions;
}

/**
 * Lifecycle: `listening` (after `start`) → `closed` (`close()`, idempotent: stops accepting,
 * ends every open event stream, waits for the sockets to close).
 */
export type DashboardServerState = 'listening' | 'closed';

const SECURITY_HEADERS = {
  'Cache-Control': 'no-store',
  'Content-Security-Policy': "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
} as const;

/**
 * The dashboard's HTTP server (node:http, no framework). Binds 127.0.0.1 only; every request
 * must name this server as its Host (421 otherwise: DNS rebinding) and carry the token (401
 * otherwise). Read-only unless it was given `actions` (`--allow-actions`): then `POST
 * /api/runs/RUN/tasks/TASK/retry` and `POST /api/runs/RUN/cancel` exist too, each checked against
 * cross-site forgery (`actionRefusal`: 403); a refused action is 409 with the reason. Without
 * actions every POST answers 405 (see docs/dashboard.md).
 */
export class DashboardServer implements AsyncDisposable {
  readonly token: string;
  readonly port: number;
  readonly #server: Server;
  readonly #api: DashboardApi;
  readonly #reader: RunReader;
  readonly #staticDir: string;
  readonly #keepAliveMs: number;
  readonly #actions: RunActions | undefined;
  readonly #streams = new Set<AbortController>();
  #state: DashboardServerState = 'listening';

  private constructor(server: Server, port: number, token: string, options: DashboardServerOptions) {
    this.#server = server;
    this.port = port;
    this.token = token;
    this.#reader = options.reader;
    this.#api = new DashboardApi(options.reader, { collapseAbove: options.collapseAbove });
    this.#staticDir = options.staticDir ?? STATIC_DIR;
    this.#keepAliveMs = options.keepAliveMs ?? 15_000;
    this.#actions = options.actions;
  }

  static async start(options: DashboardServerOptions): Promise<DashboardServer> {
    const token = randomBytes(32).toString('base64url');
    let handler: (request: IncomingMessage, response: ServerResponse) => void = () => undefined;
    const server = createServer((request, response) => handler(request, response));
    server.listen(options.port ?? 0, '127.0.0.1');
    await once(server, 'listening');
    const dashboard = new DashboardServer(server, (server.address() as AddressInfo).port, token, options);
    handler = (request, response) => void dashboard.#handle(request, response);
    return dashboard;
  }

  get state(): DashboardServerState {
    return this.#state;
  }

  /** The URL to open: it carries the token. */
  get url(): string {
    return `http://127.0.0.1:${this.port}/?token=${this.token}`;
  }

  async close(): Promise<void> {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    for (const stream of this.#streams) stream.abort();
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeAllConnections();
    await closed;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      const url = new URL(request.url ?? '/', `http://127.0.0.1:${this.port}`);
      if (!hostAllowed(request, this.port)) return sendJson(response, 421, { error: `this dashboard answers to 127.0.0.1:${this.port} or localhost:${this.port} only` });
      if (!tokenMatches(presentedTokens(request, url, this.port), this.token)) return sendJson(response, 401, { error: 'a token is required: open the URL drover dashboard printed' });
      if (request.method === 'POST' && this.#actions !== undefined) return await this.#act(request, response, url, this.#actions);
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        response.setHeader('Allow', this.#actions !== undefined ? 'GET, HEAD, POST' : 'GET, HEAD');
        return sendJson(response, 405, { error: this.#actions !== undefined ? `${request.method ?? 'this method'} is not allowed` : `${request.method ?? 'this method'} is not allowed: the dashboard is read-only (start it with --allow-actions to retry tasks and cancel runs)` });
      }
      await this.#route(request, response, url);
    } catch (error) {
      if (response.headersSent) {
        response.destroy();
        return;
      }
      if (error instanceof NotFound) return sendJson(response, 404, { error: error.message });
      if (error instanceof BadPath) return sendJson(response, 400, { error: error.message });
      return sendJson(response, 500, { error: error instanceof Error ? error.message : String(error) });
    }
  }

  async #route(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const parts = url.pathname.split('/').slice(1).map((part) => decodePart(part, url.pathname));
    if (url.pathname === '/' || url.pathname === '/index.html') {
      // The page's own requests then carry the token without putting it in every URL.
      if (url.searchParams.has('token')) response.setHeader('Set-Cookie', `${tokenCookie(this.port)}=${this.token}; HttpOnly; SameSite=Strict; Path=/`);
      return this.#sendStatic(response, 'index.html');
    }
    if (parts[0] === 'assets' && parts.length === 2) return this.#sendStatic(response, parts[1]!);
    if (parts[0] !== 'api' || parts[1] !== 'runs') throw new NotFound(`no such page: ${url.pathname}`);
    const [runId, what, taskId, extra] = parts.slice(2);
    if (runId === undefined || runId === '') return sendReply(response, await this.#api.runs());
    if (what === undefined) {
      const reply = await this.#api.run(runId);
      return sendReply(response, { ...reply, body: { ...(reply.body as object), actions: this.#actions !== undefined } });
    }
    if (what === 'graph' && taskId === undefined) return sendReply(response, await this.#api.graph(runId));
    if (what === 'timeline' && taskId === undefined) return sendReply(response, await this.#api.timeline(runId));
    if (what === 'tasks' && taskId !== undefined && extra === undefined) return sendReply(response, await this.#api.task(runId, taskId));
    if (what === 'events' && taskId === undefined) return this.#streamEvents(request, response, runId, url);
    throw new NotFound(`no such endpoint: ${url.pathname}`);
  }

  /** A retry or a cancel: same-origin only, recorded by `actions` with who asked (the dashboard, from this address). */
  async #act(request: IncomingMessage, response: ServerResponse, url: URL, actions: RunActions): Promise<void> {
    const refusal = actionRefusal(request, this.port);
    if (refusal !== undefined) return sendJson(response, 403, { error: refusal });
    request.resume();
    const parts = url.pathname.split('/').slice(1).map((part) => decodeURIComponent(part));
    const [api, runs, runId, what, taskId, verb, extra] = parts;
    if (api !== 'api' || runs !== 'runs' || runId === undefined || runId === '') throw new NotFound(`no such action: ${url.pathname}`);
    const address = request.socket.remoteAddress;
    const actor = { by: 'dashboard', ...(address !== undefined ? { address } : {}) } as const;
    let outcome: ActionOutcome;
    await this.#api.view(runId);
    try {
      if (what === 'cancel' && taskId === undefined) outcome = await actions.cancelRun(runId, actor);
      else if (what === 'tasks' && taskId !== undefined && verb === 'retry' && extra === undefined) outcome = await actions.retryTask(runId, taskId, actor);
      else throw new NotFound(`no such action: ${url.pathname}`);
    } catch (error) {
      // The writer found no such run (PostgreSQL) or its state dir is unusable: the reason, not a stack.
      if (isDroverError(error) && error.code !== 'internal') return sendJson(response, 409, { error: error.message });
      throw error;
    }
    if (!outcome.ok) return sendJson(response, 409, { error: outcome.message });
    return sendJson(response, 200, { ok: true });
  }

  async #sendStatic(response: ServerResponse, name: string): Promise<void> {
    const file = await readStaticFile(this.#staticDir, name);
    if (file === undefined) throw new NotFound(`no such file: ${name}`);
    response.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': file.type, 'Content-Length': file.body.length });
    response.end(file.body);
  }

  /**
   * `text/event-stream` of the run's events after `Last-Event-ID` (or `?after=`), each with its
   * `seq` as the event id, so the browser's reconnect resumes where it stopped: no gap, no
   * duplicate. A comment line keeps idle connections (and proxies) from timing out.
   */
  async #streamEvents(request: IncomingMessage, response: ServerResponse, runId: string, url: URL): Promise<void> {
    const from = request.headers['last-event-id'] ?? url.searchParams.get('after') ?? '0';
    const after = Number(Array.isArray(from) ? from[0] : from);
    if (!Number.isSafeInteger(after) || after < 0) return sendJson(response, 400, { error: `Last-Event-ID / after: expected a whole number, got ${JSON.stringify(from)}` });
    await this.#api.view(runId);
    if (request.method === 'HEAD') {
      // The headers a GET would get, and no stream: nothing would ever end it.
      response.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream; charset=utf-8' });
      response.end();
      return;
    }
    const controller = new AbortController();
    this.#streams.add(controller);
    response.on('close', () => controller.abort());
    response.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    response.write('retry: 1000\n\n');
    const keepAlive = setInterval(() => response.write(': keep-alive\n\n'), this.#keepAliveMs);
    try {
      for await (const event of this.#reader.watchEvents(runId, after, controller.signal)) {
        if (!response.write(`id: ${event.seq}\nevent: run-event\ndata: ${JSON.stringify(event)}\n\n`)) await once(response, 'drain', { signal: controller.signal }).catch(() => undefined);
        if (controller.signal.aborted) break;
      }
    } catch (error) {
      if (!controller.signal.aborted) response.write(`event: stream-error\ndata: ${JSON.stringify({ error: error instanceof Error ? error.message : String(error) })}\n\n`);
    } finally {
      clearInterval(keepAlive);
      this.#streams.delete(controller);
      response.end();
    }
  }
}

/** A path segment that is not valid percent-encoding (`%E0%A4%A`): the client's mistake, answered 400. */
class BadPath extends Error {}

function decodePart(part: string, pathname: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new BadPath(`${pathname}: expected a percent-encoded path, got a malformed escape in "${part}"`);
  }
}

function sendReply(response: ServerResponse, reply: JsonReply): void {
  sendJson(response, 200, reply.body, reply.headers);
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { ...SECURITY_HEADERS, ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}
