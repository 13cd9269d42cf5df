import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { planFanout, reconcileFanout } from '../src/fanout/index.js';
import { assertBuilt, fixtures, runBin, runDroverInProcess, tempDir, type RunResult } from './fanout-cli-helpers.js';

let temp: Awaited<ReturnType<typeof tempDir>>;
/** In-process: what these tests check is the command, not the process boundary (see the last describe). */
const drover = (...args: string[]) => runDroverInProcess(args, { cwd: temp.dir });
const readJson = async (name: string): Promise<unknown> => JSON.parse(await readFile(join(temp.dir, name), 'utf8'));

/** Exit 2, exactly one stderr line, no stack trace, nothing on stdout. */
function expectBadInput(result: RunResult, line: string | RegExp): void {
  expect(result.code, result.stderr).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr.endsWith('\n')).toBe(true);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines, result.stderr).toHaveLength(1);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  if (typeof line === 'string') expect(lines[0]).toBe(line);
  else expect(lines[0]).toMatch(line);
}

beforeAll(assertBuilt);
beforeEach(async () => {
  temp = await tempDir();
  for (const name of ['seed-config.json', 'seed-items.json', 'seed-records.json', 'agent-task-records.json', 'agent-task-plan.json']) await copyFile(join(fixtures, name), join(temp.dir, name));
});
afterEach(() => temp.cleanup());

describe('drover fanout plan', () => {
  it('writes the seed example plan to stdout as pretty JSON', async () => {
    const result = await drover('fanout', 'plan', '--config', 'seed-config.json', '--items', 'seed-items.json');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    const expected = planFanout({ config: await readJson('seed-config.json'), items: await readJson('seed-items.json') });
    expect(result.stdout).toBe(`${JSON.stringify(expected, null, 2)}\n`);
    expect(JSON.parse(result.stdout)).toMatchObject({ schema: 'homeboy/fanout-reconcile-plan/v1', summary: { item_count: 3, group_count: 2, task_count: 2 } });
  });

  it('writes --output atomically, creating parent directories', async () => {
    const result = await drover('fanout', 'plan', '--config', 'seed-config.json', '--items', 'seed-items.json', '--output', 'out/deep/plan.json');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('');
    const text = await readFile(join(temp.dir, 'out/deep/plan.json'), 'utf8');
    expect(text.endsWith('}\n')).toBe(true);
    expect((JSON.parse(text) as { task_requests: { id: string }[] }).task_requests.map((task) => task.id)).toEqual(['task-alpha', 'task-beta']);
    expect(await readdir(join(temp.dir, 'out/deep'))).toEqual(['plan.json']);
  });

  it('uses the config items when --items is absent, and accepts {"items": [...]}', async () => {
    const config = { ...((await readJson('seed-config.json')) as object), items: [{ id: 'x', category: 'c' }] };
    await temp.write('with-items.json', config);
    const fromConfig = await drover('fanout', 'plan', '--config', 'with-items.json');
    expect(fromConfig.code, fromConfig.stderr).toBe(0);
    expect(JSON.parse(fromConfig.stdout).groups).toEqual([{ key: 'c', index: 0, item_count: 1 }]);
    await temp.write('wrapped.json', { items: [{ id: 'y', category: 'd' }] });
    const wrapped = await drover('fanout', 'plan', '--config', 'with-items.json', '--items', 'wrapped.json');
    expect(JSON.parse(wrapped.stdout).groups).toEqual([{ key: 'd', index: 0, item_count: 1 }]);
  });

  it('needs --items when the config has no items or groups', async () => {
    expectBadInput(await drover('fanout', 'plan', '--config', 'seed-config.json'), 'drover: --items is required: seed-config.json has no "items" or "groups"');
  });

  it('plans explicit config groups without --items', async () => {
    await temp.write('groups.json', { groups: [{ key: 'g', items: [{ id: 1 }] }] });
    const result = await drover('fanout', 'plan', '--config', 'groups.json');
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).task_requests[0].id).toBe('fanout-g');
  });

  it('prints help', async () => {
    for (const args of [['fanout', '--help'], ['fanout', 'plan', '--help'], ['fanout', 'reconcile', '--help']]) {
      const result = await drover(...args);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^Usage: drover fanout/);
    }
    expect((await drover('fanout', 'reconcile', '--help')).stdout).toContain('--strict');
  });
});

describe('drover fanout plan: bad input exits 2 with one line and writes nothing', () => {
  const plan = (...extra: string[]) => drover('fanout', 'plan', '--config', 'seed-config.json', '--items', 'seed-items.json', '--output', 'out/plan.json', ...extra);
  afterEach(async () => {
    expect(await readdir(temp.dir)).not.toContain('out');
  });

  it('a missing config file', async () => {
    expectBadInput(await drover('fanout', 'plan', '--config', 'nope.json', '--items', 'seed-items.json', '--output', 'out/plan.json'), 'drover: nope.json: file not found');
  });

  it('invalid JSON', async () => {
    await temp.write('bad.json', '{"schema": ');
    expectBadInput(await drover('fanout', 'plan', '--config', 'bad.json', '--items', 'seed-items.json', '--output', 'out/plan.json'), /^drover: bad\.json: invalid JSON: /);
  });

  it('a directory instead of a file', async () => {
    await mkdir(join(temp.dir, 'dir.json'));
    expectBadInput(await drover('fanout', 'plan', '--config', 'seed-config.json', '--items', 'dir.json', '--output', 'out/plan.json'), 'drover: dir.json: is a directory, expected a JSON file');
  });

  it('a config field of the wrong type', async () => {
    await temp.write('c.json', { group_key_path: 5 });
    expectBadInput(await drover('fanout', 'plan', '--config', 'c.json', '--items', 'seed-items.json', '--output', 'out/plan.json'), 'drover: c.json: $.group_key_path: expected a dot path or a non-empty array of dot paths, got number');
  });

  it('a config that is not an object', async () => {
    await temp.write('c.json', '[]');
    expectBadInput(await drover('fanout', 'plan', '--config', 'c.json', '--items', 'seed-items.json', '--output', 'out/plan.json'), 'drover: c.json: $: expected object, got array');
  });

  it('a string template', async () => {
    await temp.write('c.json', { task_request_template: 'hi' });
    expectBadInput(await drover('fanout', 'plan', '--config', 'c.json', '--items', 'seed-items.json', '--output', 'out/plan.json'), 'drover: c.json: $.task_request_template: expected object, got string');
  });

  it('an item that is not an object', async () => {
    await temp.write('items.json', [{ id: 'a' }, { id: 'b' }, 7]);
    expectBadInput(await drover('fanout', 'plan', '--config', 'seed-config.json', '--items', 'items.json', '--output', 'out/plan.json'), 'drover: items.json: $[2]: expected object, got number');
    await temp.write('items.json', { items: [{}, {}, {}, 3] });
    expectBadInput(await drover('fanout', 'plan', '--config', 'seed-config.json', '--items', 'items.json', '--output', 'out/plan.json'), 'drover: items.json: $.items[3]: expected object, got number');
  });

  it('an items file that is not a list', async () => {
    await temp.write('items.json', '"x"');
    expectBadInput(await drover('fanout', 'plan', '--config', 'seed-config.json', '--items', 'items.json', '--output', 'out/plan.json'), 'drover: items.json: $: expected an array of items, {"items": [...]} or JSON Lines, got string');
  });

  it('a config item that is not an object', async () => {
    await temp.write('c.json', { items: [null] });
    expectBadInput(await drover('fanout', 'plan', '--config', 'c.json', '--output', 'out/plan.json'), 'drover: c.json: $.items[0]: expected object, got null');
  });

  it('duplicate task ids', async () => {
    await temp.write('c.json', { task_request_template: { id: 'same' } });
    expectBadInput(await drover('fanout', 'plan', '--config', 'c.json', '--items', 'seed-items.json', '--output', 'out/plan.json'), 'drover: c.json: $.task_requests[1].id: duplicate task id "same" (also $.task_requests[0]); the task_request_template must give each group its own id');
  });

  it('an id that renders to a list', async () => {
    await temp.write('c.json', { group_key_path: 'category', task_request_template: { id: '{{group.item_ids}}' } });
    expectBadInput(await drover('fanout', 'plan', '--config', 'c.json', '--items', 'seed-items.json', '--output', 'out/plan.json'), 'drover: c.json: $.task_request_template.id: rendered array for group "alpha", expected a non-empty string or a number');
  });

  it('an unknown option', async () => {
    expectBadInput(await plan('--bogus'), "drover: unknown option '--bogus'");
  });

  it('a missing required option', async () => {
    expectBadInput(await drover('fanout', 'plan', '--items', 'seed-items.json', '--output', 'out/plan.json'), "drover: required option '--config <file>' not specified");
  });

  it('an unwritable output path', async () => {
    await writeFile(join(temp.dir, 'blocker'), 'x');
    expectBadInput(await drover('fanout', 'plan', '--config', 'seed-config.json', '--items', 'seed-items.json', '--output', 'blocker/plan.json'), /^drover: blocker\/plan\.json: cannot write the output \(E[A-Z]+\)$/);
  });

  it('leaves an existing output file as it was', async () => {
    await temp.write('keep.json', '{"old": true}');
    expectBadInput(await drover('fanout', 'plan', '--config', 'missing.json', '--output', 'keep.json'), 'drover: missing.json: file not found');
    expect(await readJson('keep.json')).toEqual({ old: true });
  });
});

describe('drover fanout reconcile', () => {
  beforeEach(async () => {
    const result = await drover('fanout', 'plan', '--config', 'seed-config.json', '--items', 'seed-items.json', '--output', 'plan.json');
    expect(result.code, result.stderr).toBe(0);
  });

  it('matches records by task_id and group_key and writes the result', async () => {
    const result = await drover('fanout', 'reconcile', '--config', 'seed-config.json', '--plan', 'plan.json', '--records', 'seed-records.json');
    expect(result.code, result.stderr).toBe(0);
    const expected = reconcileFanout({ config: await readJson('seed-config.json'), plan: await readJson('plan.json'), records: await readJson('seed-records.json') });
    expect(result.stdout).toBe(`${JSON.stringify(expected, null, 2)}\n`);
    expect(expected).toMatchObject({ schema: 'homeboy/generic-fanout-reconcile-result/v1', status: 'failed', reconciliation: { success_count: 1, failure_count: 1, failed_task_ids: ['task-beta'], outcome_count: 2 } });
  });

  it('--strict exits 1 when the status is failed, after writing the result', async () => {
    const result = await drover('fanout', 'reconcile', '--config', 'seed-config.json', '--plan', 'plan.json', '--records', 'seed-records.json', '--output', 'result.json', '--strict');
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('');
    expect(await readJson('result.json')).toMatchObject({ status: 'failed' });
    expect((await drover('fanout', 'reconcile', '--config', 'seed-config.json', '--plan', 'plan.json', '--records', 'seed-records.json', '--output', 'result.json')).code).toBe(0);
  });

  it('--strict exits 0 when every task completed', async () => {
    await temp.write('all.json', { records: [{ id: 'task-alpha', status: 'completed' }, { id: 'task-beta', status: 'passed' }] });
    const result = await drover('fanout', 'reconcile', '--config', 'seed-config.json', '--plan', 'plan.json', '--records', 'all.json', '--strict');
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).status).toBe('completed');
  });

  it('status_mapping homeboy-agent-task maps provider outcomes', async () => {
    const config = { ...((await readJson('seed-config.json')) as object), status_mapping: 'homeboy-agent-task' };
    await temp.write('agent-config.json', config);
    const result = await drover('fanout', 'reconcile', '--config', 'agent-config.json', '--plan', 'plan.json', '--records', 'agent-task-records.json', '--strict');
    expect(result.code, result.stderr).toBe(0);
    const parsed = JSON.parse(result.stdout) as { records: { status: string; outcome: { status: string } }[] };
    expect(parsed.records.map((record) => [record.status, record.outcome.status])).toEqual([
      ['completed', 'succeeded'],
      ['completed', 'no_op'],
    ]);
  });

  it('reconciles a Homeboy agent-task fanout plan', async () => {
    const result = await drover('fanout', 'reconcile', '--config', 'seed-config.json', '--plan', 'agent-task-plan.json', '--records', 'seed-records.json');
    expect(result.code, result.stderr).toBe(0);
    const parsed = JSON.parse(result.stdout);
    expect(parsed.reconciliation).toMatchObject({ task_count: 2, group_count: 2, missing_count: 2, unmatched_count: 2 });
  });

  it('reports unmatched and duplicate records', async () => {
    await temp.write('r.json', [{ id: 'task-alpha', status: 'failed' }, { id: 'task-alpha', status: 'completed' }, { id: 'ghost', status: 'completed' }]);
    const parsed = JSON.parse((await drover('fanout', 'reconcile', '--config', 'seed-config.json', '--plan', 'plan.json', '--records', 'r.json')).stdout);
    expect(parsed.reconciliation).toMatchObject({ unmatched_count: 1, duplicate_count: 1, missing_count: 1 });
    expect(parsed.unmatched_records).toEqual([{ record_index: 2, reason: 'no_matching_task', record: { id: 'ghost', status: 'completed' } }]);
    expect(parsed.duplicate_records).toEqual([{ record_index: 0, task_id: 'task-alpha', kept_record_index: 1, record: { id: 'task-alpha', status: 'failed' } }]);
  });

  it('from JSON Lines, lists unmatched and superseded records by reading the file again: the same bytes as from a JSON array', async () => {
    const records = [{ id: 'task-alpha', status: 'failed', n: 0 }, { id: 'ghost' }, { group_key: 'beta', status: 'completed' }, { id: 'task-alpha', status: 'completed' }, { id: 'task-beta', status: 'failed' }, { note: 'no key' }];
    await temp.write('r.json', records);
    await temp.write('r.jsonl', records.map((record) => JSON.stringify(record)).join('\n'));
    const fromArray = await drover('fanout', 'reconcile', '--config', 'seed-config.json', '--plan', 'plan.json', '--records', 'r.json');
    const fromLines = await drover('fanout', 'reconcile', '--config', 'seed-config.json', '--plan', 'plan.json', '--records', 'r.jsonl', '--output', 'result.json');
    expect(fromLines.code, fromLines.stderr).toBe(0);
    expect(await readFile(join(temp.dir, 'result.json'), 'utf8')).toBe(fromArray.stdout);
    expect(JSON.parse(fromArray.stdout)).toMatchObject({ reconciliation: { unmatched_count: 2, duplicate_count: 2 }, duplicate_records: [{ record_index: 0 }, { record_index: 2 }] });
  });

  it('plans JSON Lines items with the same bytes as the same items in a JSON array, whatever the template reads', async () => {
    const items = (await readJson('seed-items.json')) as unknown[];
    await temp.write('items.jsonl', items.map((item) => JSON.stringify(item)).join('\n'));
    const config = (await readJson('seed-config.json')) as Record<string, unknown>;
    await temp.write('lean.json', { ...config, task_request_template: { id: 'task-{{group.key}}', ids: '{{group.item_ids}}', n: '{{group.item_count}}' } });
    for (const name of ['seed-config.json', 'lean.json']) {
      const fromArray = await drover('fanout', 'plan', '--config', name, '--items', 'seed-items.json');
      const fromLines = await drover('fanout', 'plan', '--config', name, '--items', 'items.jsonl');
      expect(fromLines.code, fromLines.stderr).toBe(0);
      expect(fromLines.stdout).toBe(fromArray.stdout);
    }
  });
});

describe('drover fanout reconcile: bad input exits 2 with one line and writes nothing', () => {
  const reconcile = (plan: string, records: string, config = 'seed-config.json') => drover('fanout', 'reconcile', '--config', config, '--plan', plan, '--records', records, '--output', 'out/result.json', '--strict');
  afterEach(async () => {
    expect(await readdir(temp.dir)).not.toContain('out');
  });

  it('a plan without task_requests', async () => {
    await temp.write('plan.json', { schema: 'homeboy/fanout-reconcile-plan/v1' });
    expectBadInput(await reconcile('plan.json', 'seed-records.json'), 'drover: plan.json: $.task_requests: expected array, got nothing');
  });

  it('a plan with duplicate ids', async () => {
    await temp.write('plan.json', { task_requests: [{ id: 'x' }, { id: 'y' }, { task_id: 'x' }] });
    expectBadInput(await reconcile('plan.json', 'seed-records.json'), 'drover: plan.json: $.task_requests[2].task_id: duplicate task id "x" (also $.task_requests[0])');
  });

  it('a plan task without an id', async () => {
    await temp.write('plan.json', { task_requests: [{ id: 'x' }, { id: '' }] });
    expectBadInput(await reconcile('plan.json', 'seed-records.json'), 'drover: plan.json: $.task_requests[1]: task request has no id: expected a non-empty id, task_id or group_key');
  });

  it('a plan task id of the wrong type', async () => {
    await temp.write('plan.json', { task_requests: [{ id: true }] });
    expectBadInput(await reconcile('plan.json', 'seed-records.json'), 'drover: plan.json: $.task_requests[0].id: expected string or number, got boolean');
  });

  it('a plan that is not an object', async () => {
    await temp.write('plan.json', '[]');
    expectBadInput(await reconcile('plan.json', 'seed-records.json'), 'drover: plan.json: $: expected object, got array');
  });

  it('an agent-task plan without fanout_id', async () => {
    await temp.write('plan.json', { schema: 'homeboy/agent-task-fanout-plan/v1', tasks: [{ task_id: 't' }] });
    expectBadInput(await reconcile('plan.json', 'seed-records.json'), 'drover: plan.json: $.fanout_id: Homeboy agent-task fanout plan requires fanout_id');
  });

  it('records that are not a list of objects', async () => {
    await temp.write('plan.json', { task_requests: [{ id: 'x' }] });
    await temp.write('r.json', [{ id: 'x' }, 'junk']);
    expectBadInput(await reconcile('plan.json', 'r.json'), 'drover: r.json: $[1]: expected object, got string');
    await temp.write('r.json', { records: 3 });
    expectBadInput(await reconcile('plan.json', 'r.json'), 'drover: r.json: $: expected an array of records, {"records": [...]} or JSON Lines, got object');
  });

  it('a missing records file', async () => {
    await temp.write('plan.json', { task_requests: [{ id: 'x' }] });
    expectBadInput(await reconcile('plan.json', 'gone.json'), 'drover: gone.json: file not found');
  });

  it('a config whose base_run would overwrite the result', async () => {
    await temp.write('plan.json', { task_requests: [{ id: 'x' }] });
    await temp.write('c.json', { base_run: { status: 'completed' } });
    expectBadInput(await reconcile('plan.json', 'seed-records.json', 'c.json'), 'drover: c.json: $.base_run.status: "status" is set by the result itself and cannot come from base_run');
  });

  it('a missing --records', async () => {
    expectBadInput(await drover('fanout', 'reconcile', '--config', 'seed-config.json', '--plan', 'agent-task-plan.json'), "drover: required option '--records <file>' not specified");
  });
});

describe('the real bin, where the process boundary is what is tested', () => {
  it('exits 0 with the plan on stdout, and 2 with one stderr line and nothing written on bad input', () => {
    const ok = runBin('drover', ['fanout', 'plan', '--config', 'seed-config.json', '--items', 'seed-items.json'], { cwd: temp.dir });
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ summary: { task_count: 2 } });
    expectBadInput(runBin('drover', ['fanout', 'plan', '--config', 'nope.json', '--output', 'out/plan.json'], { cwd: temp.dir }), 'drover: nope.json: file not found');
  });

  it('--strict sets the process exit code to 1', async () => {
    await writeFile(join(temp.dir, 'plan.json'), (await drover('fanout', 'plan', '--config', 'seed-config.json', '--items', 'seed-items.json')).stdout);
    const result = runBin('drover', ['fanout', 'reconcile', '--config', 'seed-config.json', '--plan', 'plan.json', '--records', 'seed-records.json', '--strict'], { cwd: temp.dir });
    expect(result.code, result.stderr).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'failed' });
  });
});
