import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { PostgresBackend } from '../src/backend/postgres/index.js';
import { DashboardServer } from '../src/web/server/dashboard-server.js';
import { httpGet, openSse } from './helpers/dashboard-client.js';
import { openTestBackend, randomSchema } from './helpers/postgres.js';

const cleanup: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
});

describe('drover dashboard over the PostgreSQL backend (real database, real HTTP)', () => {
  it('lists a run that workers drive, draws its graph with the runtime enqueue, and streams its events as they commit', async () => {
    const schema = randomSchema();
    const writer: PostgresBackend = await openTestBackend(schema);
    // The dashboard is another process's reader: its own pool and LISTEN connection on the same schema.
    const reader: PostgresBackend = await openTestBackend(schema);
    cleanup.push(async () => {
      await reader.close();
      await writer.dropSchema();
      await writer.close();
    });
    const runId = randomUUID();
    await writer.createRun({ runId, installDir: '/srv/app', detected: { framework: null, packageManager: null } });
    const plan = await writer.enqueue(runId, { type: 'plan', label: 'Plan' }, { kind: 'orchestrator' });
    expect(plan.ok).toBe(true);
    await writer.markSeeded(runId);
    const [claimed] = await writer.claim({ worker: 'w1', max: 1, leaseMs: 60_000, runId });
    const ref = { runId, taskId: claimed!.taskId, attempt: claimed!.attempt, worker: 'w1' };
    await writer.enqueue(runId, { type: 'instrument', label: 'Child', dependsOn: [ref.taskId] }, { kind: 'task', ...ref });

    const server = await DashboardServer.start({ reader });
    cleanup.push(() => server.close());
    const base = `http://127.0.0.1:${server.port}`;
    const auth = { Authorization: `Bearer ${server.token}` };
    const runs = (await httpGet(`${base}/api/runs`, auth)).json<{ runs: Array<{ runId: string; status: string }> }>().runs;
    expect(runs).toContainEqual(expect.objectContaining({ runId, status: 'running' }));
    const graph = (await httpGet(`${base}/api/runs/${runId}/graph`, auth)).json<{ nodes: Array<{ id: string; status: string }>; edges: Array<{ from: string; to: string; kind: string }> }>();
    expect(graph.nodes.map((node) => [node.id, node.status])).toEqual([
      [ref.taskId, 'running'],
      ['instrument-2', 'pending'],
    ]);
    expect(graph.edges.map((edge) => edge.kind).sort()).toEqual(['dependsOn', 'enqueuedBy']);

    const stream = openSse(`${base}/api/runs/${runId}/events`, auth);
    cleanup.push(async () => stream.close());
    await stream.until((frame) => frame.data.includes('"instrument-2"'));
    await writer.complete(ref, 'done', { goal: 'plan', did: 'planned', forNextAgent: 'go' });
    const completed = await stream.until((frame) => frame.data.includes('"task-completed"'));
    expect(JSON.parse(completed.data)).toMatchObject({ event: 'task-completed', taskId: ref.taskId });
    const seqs = stream.frames.map((frame) => Number(frame.id));
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    const detail = (await httpGet(`${base}/api/runs/${runId}/tasks/instrument-2`, auth)).json<{ upstream: Array<{ taskId: string }> }>();
    expect(detail.upstream.map((handoff) => handoff.taskId)).toEqual([ref.taskId]);
  });
});
