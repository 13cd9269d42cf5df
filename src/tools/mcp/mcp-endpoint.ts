import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ToolSession } from '../tool-session.js';
import { TOOL_DEFINITIONS } from './tool-definitions.js';

/** A task attempt's (or the orchestrator's) access to the endpoint; `revoke` ends it. */
export interface McpGrant {
  readonly url: string;
  readonly token: string;
  revoke(): void;
}

/** Largest request body accepted; tool inputs are far smaller (64 KiB), so this only stops abuse. */
const MAX_BODY_BYTES = 512 * 1024;

/** The one path the endpoint answers on; everything else, `/.well-known/…` included, is 404. */
const MCP_PATH = '/mcp';

/**
 * Serves the queue tools over MCP (Streamable HTTP, stateless, JSON responses) on 127.0.0.1
 * for the lifetime of a run. Every caller has its own bearer token, bound to one tool session:
 * a token can act only as the task attempt it was issued to, only for the tools that task's
 * prompt allows, and only until the attempt ends. Requests without a live token get 401.
 *
 * What a browser on the same machine could do is refused before the token is looked at: a
 * request whose Host is not this address (DNS rebinding: a hostile page's name re-pointed at
 * 127.0.0.1) or that carries a foreign Origin (a cross-origin fetch) gets 403, and any path but
 * `/mcp` gets 404. No OAuth metadata is ever served or advertised: the 401 says only `Bearer`,
 * because an MCP client that finds `resource_metadata` (or `/.well-known/oauth-*`) drops the
 * bearer header it was given and starts a login flow that cannot succeed.
 */
export class McpEndpoint {
  readonly #grants = new Map<string, ToolSession>();
  #http: HttpServer | undefined;
  #url = '';
  /** `127.0.0.1:<port>` and `localhost:<port>`: the Host values a local client sends. */
  #hosts = new Set<string>();

  get url(): string {
    return this.#url;
  }

  async listen(): Promise<void> {
    const http = createServer((req, res) => void this.#handle(req, res));
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = http.address() as AddressInfo;
    this.#http = http;
    this.#url = `http://127.0.0.1:${port}${MCP_PATH}`;
    this.#hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  }

  grant(session: ToolSession): McpGrant {
    const token = randomBytes(24).toString('base64url');
    this.#grants.set(token, session);
    return { url: this.#url, token, revoke: () => this.#grants.delete(token) };
  }

  async close(): Promise<void> {
    this.#grants.clear();
    const http = this.#http;
    this.#http = undefined;
    if (http === undefined) return;
    http.closeAllConnections();
    await new Promise<void>((resolve) => http.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const host = (req.headers.host ?? '').toLowerCase();
    if (!this.#hosts.has(host)) {
      reply(res, 403, { error: 'forbidden-host', message: `Host must be one of ${[...this.#hosts].join(', ')}` });
      return;
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !this.#hosts.has(origin.toLowerCase().replace(/^http:\/\//, ''))) {
      reply(res, 403, { error: 'forbidden-origin', message: 'cross-origin requests are refused' });
      return;
    }
    if (pathOf(req.url) !== MCP_PATH) {
      reply(res, 404, { error: 'not-found', message: `the MCP endpoint is ${MCP_PATH}` });
      return;
    }
    const session = this.#authenticate(req);
    if (session === undefined) {
      reply(res, 401, { error: 'unauthorized', message: 'missing, unknown or expired bearer token; each task may use only the token in DROVER_MCP_TOKEN, while it runs' }, { 'WWW-Authenticate': 'Bearer' });
      return;
    }
    if (req.method !== 'POST') {
      reply(res, 405, { error: 'method-not-allowed', message: 'this endpoint is stateless: POST JSON-RPC requests' }, { Allow: 'POST' });
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(await readBody(req));
    } catch (error) {
      const tooLarge = error instanceof BodyTooLarge;
      reply(res, tooLarge ? 413 : 400, { error: tooLarge ? 'too-large' : 'bad-request', message: tooLarge ? `request body over ${MAX_BODY_BYTES} bytes` : 'body is not valid JSON' });
      return;
    }
    const server = toolServer(session);
    const transport = new StreamableHTTPServerTransport({ enableJsonResponse: true });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  }

  #authenticate(req: IncomingMessage): ToolSession | undefined {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (match === null) return undefined;
    const offered = Buffer.from(match[1]!);
    for (const [token, session] of this.#grants) {
      const known = Buffer.from(token);
      if (known.length === offered.length && timingSafeEqual(known, offered)) return session;
    }
    return undefined;
  }
}

/** One MCP server per request (stateless): it lists and runs only what the token's session allows. */
function toolServer(session: ToolSession): Server {
  const server = new Server({ name: 'drover', version: '0.1.0' }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: TOOL_DEFINITIONS.filter((tool) => session.allowed.has(tool.name)).map((tool) => ({ ...tool, inputSchema: tool.inputSchema as { type: 'object' } })) }));
  server.setRequestHandler(CallToolRequestSchema, async (request): Promise<CallToolResult> => {
    const { name, arguments: input } = request.params;
    const call = name === 'enqueue_task' || name === 'complete_task' || name === 'read_handoffs' ? session[name] : undefined;
    if (call === undefined) return { isError: true, content: [{ type: 'text', text: `Unknown tool "${name}". The queue tools are enqueue_task, complete_task and read_handoffs.` }] };
    const outcome = await call(input ?? {});
    if (!outcome.ok) return { isError: true, content: [{ type: 'text', text: `Refused (${outcome.guard}): ${outcome.message}` }] };
    return { content: [{ type: 'text', text: JSON.stringify(outcome.value) }], structuredContent: { result: outcome.value } };
  });
  return server;
}

/** The path of a request target, without its query; `undefined` (no target) matches nothing. */
function pathOf(target: string | undefined): string | undefined {
  if (target === undefined) return undefined;
  const query = target.indexOf('?');
  return query === -1 ? target : target.slice(0, query);
}

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function reply(res: ServerResponse, status: number, body: Record<string, string>, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
