import { request } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterEach, describe, expect, it } from 'vitest';
import { RunQueue } from '../src/backend/local/run-queue.js';
import { McpEndpoint } from '../src/tools/mcp/mcp-endpoint.js';
import { createToolSession } from '../src/tools/index.js';
import { MemoryStore, TEST_POLICY } from '../src/testing/index.js';

// What a web page in the user's browser, or a confused MCP client, sends to the run's endpoint:
// raw HTTP with the headers set by hand (fetch() will not forge Host), against the real server.
const endpoints: McpEndpoint[] = [];
afterEach(async () => {
  for (const endpoint of endpoints.splice(0)) await endpoint.close();
});

async function setUp() {
  const store = new MemoryStore();
  await store.open();
  const queue = await RunQueue.start(store, { runId: 'http', installDir: '/app', detected: { framework: null, packageManager: null } }, TEST_POLICY);
  const enqueued = await queue.enqueue({ type: 'alpha', reason: 'r' }, { kind: 'orchestrator' });
  if (!enqueued.ok) throw new Error(enqueued.message);
  const taskId = enqueued.value.id;
  await queue.markStarted(taskId);
  const endpoint = new McpEndpoint();
  endpoints.push(endpoint);
  await endpoint.listen();
  const grant = endpoint.grant(createToolSession(queue, { kind: 'task', taskId, attempt: 1 }));
  return { queue, taskId, endpoint, grant, port: new URL(endpoint.url).port };
}

interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

function send(port: string, options: { path?: string; method?: string; headers?: Record<string, string>; body?: string }): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: Number(port), path: options.path ?? '/mcp', method: options.method ?? 'POST', headers: options.headers ?? {} }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const completeCall = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'complete_task', arguments: { status: 'done', handoff: { goal: 'g', did: 'd', forNextAgent: 'n' } } } });
const jsonHeaders = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

describe('MCP endpoint over raw HTTP: Host, Origin, paths and auth metadata', () => {
  it('refuses a request whose Host is not its own address (DNS rebinding), even with a valid token, changing nothing', async () => {
    const { queue, taskId, grant, port } = await setUp();
    for (const host of [`evil.example:${port}`, `127.0.0.1:${Number(port) + 1}`, 'attacker.test']) {
      const response = await send(port, { headers: { ...jsonHeaders, host, authorization: `Bearer ${grant.token}` }, body: completeCall });
      expect(response.status).toBe(403);
      expect(JSON.parse(response.body)).toMatchObject({ error: 'forbidden-host' });
    }
    expect(queue.state.tasks.get(taskId)?.status).toBe('running');
  });

  it('refuses a cross-origin browser request, even with a valid token, changing nothing', async () => {
    const { queue, taskId, grant, port } = await setUp();
    for (const origin of ['https://evil.example', 'null', `http://evil.example:${port}`]) {
      const response = await send(port, { headers: { ...jsonHeaders, host: `127.0.0.1:${port}`, origin, authorization: `Bearer ${grant.token}` }, body: completeCall });
      expect(response.status).toBe(403);
      expect(JSON.parse(response.body)).toMatchObject({ error: 'forbidden-origin' });
    }
    expect(queue.state.tasks.get(taskId)?.status).toBe('running');
  });

  it('answers 404 off the MCP path, OAuth discovery documents included', async () => {
    const { grant, port } = await setUp();
    for (const path of ['/', '/mcp/extra', '/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-authorization-server', '/register']) {
      for (const method of ['GET', 'POST']) {
        const response = await send(port, { path, method, headers: { ...jsonHeaders, host: `127.0.0.1:${port}`, authorization: `Bearer ${grant.token}` }, ...(method === 'POST' ? { body: completeCall } : {}) });
        expect({ path, method, status: response.status }).toEqual({ path, method, status: 404 });
      }
    }
  });

  it('answers a missing token with 401 and a bare Bearer challenge: no resource_metadata for a client to start OAuth from', async () => {
    const { port } = await setUp();
    const response = await send(port, { headers: { ...jsonHeaders, host: `127.0.0.1:${port}` }, body: completeCall });
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer');
  });

  it('still serves a local client on 127.0.0.1 or localhost, with its own origin or none', async () => {
    const { queue, taskId, grant, port } = await setUp();
    const list = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    for (const headers of [{ host: `localhost:${port}` }, { host: `127.0.0.1:${port}`, origin: `http://127.0.0.1:${port}` }]) {
      const response = await send(port, { headers: { ...jsonHeaders, ...headers, authorization: `Bearer ${grant.token}` }, body: list });
      expect(response.status).toBe(200);
    }
    const client = new Client({ name: 'test', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`http://localhost:${port}/mcp`), { requestInit: { headers: { Authorization: `Bearer ${grant.token}` } } }));
    expect((await client.callTool({ name: 'complete_task', arguments: { status: 'done', handoff: { goal: 'g', did: 'd', forNextAgent: 'n' } } })).isError).toBeFalsy();
    await client.close();
    expect(queue.state.tasks.get(taskId)?.status).toBe('done');
  });
});
