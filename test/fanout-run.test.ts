import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
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

  it('output dependencies: depends_on becomes dependsOn, upstream handoffs reach the prompt, a missing output skips the task without an agent', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'drover-fanout-deps-'));
    const request = (id: string, dependsOn?: string[]) => ({ id, group_key: id, instructions: `Do ${id}.`, ...(dependsOn === undefined ? {} : { depends_on: dependsOn }) });
    // Queue ids follow plan order: a=1, b=2, s=3, c=4, f=5, g=6.
    const plan = { schema: 'homeboy/fanout-reconcile-plan/v1', groups: [], task_requests: [request('a'), request('b', ['a']), request('s'), request('c', ['s', 'a']), request('f'), request('g', ['f'])] };
    await writeFile(join(dir, 'plan.json'), JSON.stringify(plan));
    const run = await drover(['run', '--plan', join(dir, 'plan.json'), '--records-out', join(dir, 'records.json'), '--agent-cmd', agentCmd, '--install-dir', dir, '--ui', 'plain', '--max-attempts', '1'], {
      FAKE_AGENT_BEHAVIOR: JSON.stringify({ 'fanout-task-3': 'skip', 'fanout-task-5': 'fail' }),
    });
    expect(run.code, run.stderr).toBe(1);
    const state = JSON.parse(await readFile(join(dir, '.drover', 'queue.json'), 'utf8')) as { tasks: { id: string; status: string; dependsOn: string[] }[] };
    expect(state.tasks.map((task) => [task.id, task.status, task.dependsOn])).toEqual([
      ['seed', 'done', []],
      ['fanout-task-1', 'done', []],
      ['fanout-task-2', 'done', ['fanout-task-1']],
      ['fanout-task-3', 'skipped', []],
      ['fanout-task-4', 'skipped', ['fanout-task-3', 'fanout-task-1']],
      ['fanout-task-5', 'failed', []],
      ['fanout-task-6', 'blocked', ['fanout-task-5']],
    ]);
    // b's prompt carries a's handoff; c never started an agent (no agent log).
    expect(await readFile(join(dir, '.drover', 'prompts', 'fanout-task-2.md'), 'utf8')).toMatch(/fanout-task-1[\s\S]*Ran as a fake agent/);
    await expect(stat(join(dir, '.drover', 'logs', 'fanout-task-4.log'))).rejects.toThrow(/ENOENT/);
    const records = JSON.parse(await readFile(join(dir, 'records.json'), 'utf8')) as { id: string; status: string; outcome: { status: string; reason?: string } }[];
    expect(records.map((record) => [record.id, record.status, record.outcome.status])).toEqual([
      ['a', 'completed', 'succeeded'],
      ['b', 'completed', 'succeeded'],
      ['s', 'completed', 'no_op'],
      ['c', 'failed', 'cancelled'],
      ['f', 'failed', 'failed'],
      ['g', 'failed', 'cancelled'],
    ]);
    expect(records[3]?.outcome.reason).toBe('the required output of s (skipped) is missing');
  });

  it('reads the plan like drover fanout does: a bad depends_on is exit 2 with one line naming the file and path, before any run', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'drover-fanout-deps-'));
    await writeFile(join(dir, 'plan.json'), `\uFEFF${JSON.stringify({ task_requests: [{ id: 'a', depends_on: ['b'] }, { id: 'b' }] })}`);
    const run = await drover(['run', '--plan', join(dir, 'plan.json'), '--records-out', join(dir, 'records.json'), '--agent-cmd', agentCmd, '--install-dir', dir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`drover: ${join(dir, 'plan.json')}: $.task_requests[0].depends_on[0]: names "b", which is not an earlier task request ($.task_requests[1]); a request can only depend on earlier ones\n`);
    await writeFile(join(dir, 'plan.json'), Buffer.from([0x7b, 0xff, 0x7d]));
    const bad = await drover(['run', '--plan', join(dir, 'plan.json'), '--records-out', join(dir, 'records.json'), '--agent-cmd', agentCmd, '--install-dir', dir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/plan\.json: invalid UTF-8 at byte 1\n$/);
  });

  it('refuses --plan without a real agent or without --records-out (exit 2)', async () => {
    const planFile = join(fixtures, 'seed-config.json');
    expect((await drover(['run', '--plan', planFile, '--records-out', '/tmp/r.json'])).stderr).toMatch(/--plan needs a real agent/);
    expect((await drover(['run', '--plan', planFile, '--agent-cmd', 'x'])).code).toBe(2);
  });
});
