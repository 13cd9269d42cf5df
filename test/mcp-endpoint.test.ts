import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterEach, describe, expect, it } from 'vitest';
import { RunQueue } from '../src/backend/local/run-queue.js';
import { McpEndpoint } from '../src/tools/mcp/mcp-endpoint.js';
import { createToolSession } from '../src/tools/index.js';
import { MemoryStore, TEST_POLICY } from '../src/testing/index.js';

const handoff = { goal: 'g', did: 'd', forNextAgent: 'n' };
const endpoints: McpEndpoint[] = [];
afterEach(async () => {
  for (const endpoint of endpoints.splice(0)) await endpoint.close();
});

async function setUp() {
  const store = new MemoryStore();
  await store.open();
  const queue = await RunQueue.start(store, { runId: 'mcp', installDir: '/app', detected: { framework: null, packageManager: null } }, TEST_POLICY);
  const ids: string[] = [];
  for (const type of ['alpha', 'beta']) {
    const result = await queue.enqueue({ type, reason: 'r' }, { kind: 'orchestrator' });
    if (!result.ok) throw new Error(result.message);
    ids.push(result.value.id);
    await queue.markStarted(result.value.id);
  }
  const endpoint = new McpEndpoint();
  endpoints.push(endpoint);
  await endpoint.listen();
  const grantFor = (taskId: string) => endpoint.grant(createToolSession(queue, { kind: 'task', taskId, attempt: 1 }));
  return { queue, endpoint, ids, grantFor };
}

async function connect(url: string, token: string): Promise<Client> {
  const client = new Client({ name: 'test', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
  return client;
}

const textOf = (result: Awaited<ReturnType<Client['callTool']>>): string => (result.content as Array<{ text: string }>)[0]!.text;
const snapshotTasks = (queue: RunQueue) => JSON.stringify(queue.state.byPosition);

describe('MCP endpoint (real MCP client over HTTP)', () => {
  it('lists the queue tools with schemas and completes the task the token is bound to', async () => {
    const { queue, ids, grantFor } = await setUp();
    const grant = grantFor(ids[0]!);
    const client = await connect(grant.url, grant.token);
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(['complete_task', 'enqueue_task', 'read_handoffs']);
    expect(tools.find((tool) => tool.name === 'complete_task')?.inputSchema).toMatchObject({ type: 'object', required: expect.arrayContaining(['status', 'handoff']) });
    const result = await client.callTool({ name: 'complete_task', arguments: { status: 'done', handoff } });
    expect(result.isError).toBeFalsy();
    expect(queue.state.tasks.get(ids[0]!)?.status).toBe('done');
    expect(queue.state.tasks.get(ids[1]!)?.status).toBe('running');
    await client.close();
  });

  it('refuses requests without a token or with a wrong one (401), changing nothing', async () => {
    const { queue, endpoint } = await setUp();
    const before = snapshotTasks(queue);
    for (const headers of [{}, { Authorization: 'Bearer not-a-token' }, { Authorization: 'Basic abc' }]) {
      const response = await fetch(endpoint.url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }) });
      expect(response.status).toBe(401);
    }
    await expect(connect(endpoint.url, 'wrong')).rejects.toThrow();
    expect(snapshotTasks(queue)).toBe(before);
  });

  it("a task's token acts only as that task: it cannot complete another task", async () => {
    const { queue, ids, grantFor } = await setUp();
    const betaGrant = grantFor(ids[1]!);
    const client = await connect(betaGrant.url, betaGrant.token);
    await client.callTool({ name: 'complete_task', arguments: { status: 'done', handoff, taskId: ids[0] } });
    expect(queue.state.tasks.get(ids[0]!)?.status).toBe('running');
    await client.close();
  });

  it("a finished task's token is dead, and a replay after completion changes nothing", async () => {
    const { queue, ids, grantFor } = await setUp();
    const grant = grantFor(ids[0]!);
    const client = await connect(grant.url, grant.token);
    expect((await client.callTool({ name: 'complete_task', arguments: { status: 'done', handoff } })).isError).toBeFalsy();
    const replay = await client.callTool({ name: 'complete_task', arguments: { status: 'failed', handoff } });
    expect(replay.isError).toBe(true);
    expect(textOf(replay)).toMatch(/already-completed/);
    expect(queue.state.tasks.get(ids[0]!)?.status).toBe('done');
    grant.revoke();
    const before = snapshotTasks(queue);
    await expect(client.callTool({ name: 'enqueue_task', arguments: { type: 'late', reason: 'r' } })).rejects.toThrow(/unauthorized/);
    expect(snapshotTasks(queue)).toBe(before);
  });

  it('oversized inputs are refused with nothing enqueued', async () => {
    const { queue, ids, grantFor, endpoint } = await setUp();
    const grant = grantFor(ids[0]!);
    const client = await connect(grant.url, grant.token);
    const big = await client.callTool({ name: 'enqueue_task', arguments: { type: 'big', inputs: { blob: 'x'.repeat(100_000) }, reason: 'r' } });
    expect(big.isError).toBe(true);
    expect(textOf(big)).toMatch(/invalid-input.*64 KiB/);
    const huge = await fetch(endpoint.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${grant.token}` }, body: 'x'.repeat(600_000) });
    expect(huge.status).toBe(413);
    expect(queue.state.tasks.size).toBe(2);
    expect(queue.state.byPosition.filter((task) => task.type === 'big')).toEqual([]);
    await client.close();
  });

  it('the orchestrator token may enqueue and read, but complete_task is neither listed nor allowed', async () => {
    const { queue, endpoint } = await setUp();
    const grant = endpoint.grant(createToolSession(queue, { kind: 'orchestrator' }, ['enqueue_task', 'read_handoffs']));
    const client = await connect(grant.url, grant.token);
    expect((await client.listTools()).tools.map((tool) => tool.name).sort()).toEqual(['enqueue_task', 'read_handoffs']);
    const refused = await client.callTool({ name: 'complete_task', arguments: { status: 'done', handoff } });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toMatch(/not-allowed/);
    const added = await client.callTool({ name: 'enqueue_task', arguments: { type: 'gamma', reason: 'r' } });
    expect(JSON.parse(textOf(added))).toEqual({ id: 'gamma-3' });
    await client.close();
  });
});
