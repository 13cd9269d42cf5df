import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { AttemptRef } from '../src/backend/backend.js';
import type { PostgresBackend } from '../src/backend/postgres/index.js';
import { Worker, type WorkerNotice } from '../src/runner/worker.js';
import { functionAgent } from '../src/testing/index.js';
import { McpEndpoint } from '../src/tools/mcp/mcp-endpoint.js';
import { openTestBackend, randomSchema } from './helpers/postgres.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('a worker on PostgreSQL serves each attempt its tools over MCP with a token bound to the attempt and its lease', () => {
  it('the token works while the lease is held, and is refused (401) once the lease was lost; the backend refuses the stale attempt too', async () => {
    const backend: PostgresBackend = await openTestBackend(randomSchema());
    cleanups.push(() => backend.dropSchema());
    const mcp = new McpEndpoint();
    await mcp.listen();
    cleanups.push(() => mcp.close());
    const runId = 'lease-run';
    await backend.createRun({ runId, installDir: '/app', detected: { framework: null, packageManager: null } });
    const { value } = (await backend.enqueue(runId, { type: 'plan', reason: 'r' }, { kind: 'orchestrator' })) as { ok: true; value: { id: string } };
    await backend.markSeeded(runId);

    let granted!: (grant: { url: string; token: string; attempt: number }) => void;
    const firstGrant = new Promise<{ url: string; token: string; attempt: number }>((resolve) => (granted = resolve));
    let stopped!: () => void;
    const firstStopped = new Promise<void>((resolve) => (stopped = resolve));
    const agent = functionAgent(async (_task, context, signal) => {
      granted({ ...context.mcp!, attempt: context.attempt });
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      stopped();
    });
    const notices: WorkerNotice[] = [];
    const worker = new Worker({ backend, agent, workdir: '/app', stateDir: await mkdtemp(join(tmpdir(), 'drover-worker-')), runId, mcp, leaseMs: 60_000, heartbeatMs: 50, onNotice: (notice) => notices.push(notice) });
    cleanups.push(() => worker.close());
    const running = worker.run();

    const grant = await firstGrant;
    const client = new Client({ name: 'test', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(grant.url), { requestInit: { headers: { Authorization: `Bearer ${grant.token}` } } }));
    expect((await client.callTool({ name: 'read_handoffs', arguments: {} })).isError).toBeFalsy();
    await client.close();

    // The lease is lost (here given back under the worker's name, as the reaper does once heartbeats stop landing).
    const ref: AttemptRef = notices.flatMap((notice) => (notice.kind === 'claimed' ? [notice.ref] : []))[0]!;
    expect(ref).toMatchObject({ runId, taskId: value.id, attempt: grant.attempt });
    expect(await backend.finishAttempt(ref, { kind: 'interrupted' })).toBe('applied');
    await firstStopped;
    expect(notices).toContainEqual({ kind: 'lease-lost', ref });

    const call = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'complete_task', arguments: { status: 'done', handoff: { goal: 'g', did: 'd', forNextAgent: 'n' } } } };
    const response = await fetch(grant.url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${grant.token}` }, body: JSON.stringify(call) });
    expect(response.status).toBe(401);
    // And through the port itself, the old attempt's report is refused: fencing, not only the token.
    expect(await backend.complete(ref, 'done', { goal: 'g', did: 'd', forNextAgent: 'n' })).toMatchObject({ ok: false, guard: 'not-running' });

    await worker.close();
    expect(await running).toEqual({ reason: 'stopped' });
    expect(worker.state).toBe('stopped');
  });
});
