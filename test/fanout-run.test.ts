import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { drover, REPO_ROOT } from './helpers/run-cli.js';

const fixtures = join(REPO_ROOT, 'test/fixtures/fanout');
const agentCmd = `node ${join(REPO_ROOT, 'test/agents/fake-agent.mjs')}`;

describe('drover run --plan: a fanout plan executed as queue tasks, reconciled back', () => {
  it('plans, runs one fresh agent per task request, writes records, and reconcile reads them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'drover-fanout-run-'));
    const config = join(fixtures, 'seed-config.json');
    expect((await drover(['fanout', 'plan', '--config', config, '--items', join(fixtures, 'seed-items.json'), '--output', join(dir, 'plan.json')])).code).toBe(0);
    const plan = JSON.parse(await readFile(join(dir, 'plan.json'), 'utf8'));
    const ids = plan.task_requests.map((request: { id: string }) => request.id);

    const run = await drover(['run', '--plan', join(dir, 'plan.json'), '--records-out', join(dir, 'records.json'), '--agent-cmd', agentCmd, '--install-dir', dir, '--ui', 'plain'], {
      FAKE_AGENT_BEHAVIOR: JSON.stringify({ 'fanout-task-2': 'fail' }),
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const records = JSON.parse(await readFile(join(dir, 'records.json'), 'utf8'));
    expect(records.map((record: { id: string }) => record.id)).toEqual(ids);
    expect(records[0]).toMatchObject({ status: 'completed', outcome: { status: 'succeeded', handoff: { did: expect.any(String) } } });
    expect(records[1]).toMatchObject({ status: 'failed', outcome: { status: 'failed', attempts: 2 } });

    const reconcile = await drover(['fanout', 'reconcile', '--config', config, '--plan', join(dir, 'plan.json'), '--records', join(dir, 'records.json'), '--strict']);
    expect(reconcile.code).toBe(1);
    const result = JSON.parse(reconcile.stdout);
    expect(result.status).toBe('failed');
    expect(result.reconciliation).toMatchObject({ success_count: ids.length - 1, failure_count: 1, failed_task_ids: [ids[1]] });
  });

  it('refuses --plan without a real agent or without --records-out (exit 2)', async () => {
    const planFile = join(fixtures, 'seed-config.json');
    expect((await drover(['run', '--plan', planFile, '--records-out', '/tmp/r.json'])).stderr).toMatch(/--plan needs a real agent/);
    expect((await drover(['run', '--plan', planFile, '--agent-cmd', 'x'])).code).toBe(2);
  });
});
