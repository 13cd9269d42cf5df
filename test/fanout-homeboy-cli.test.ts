import { copyFile, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGenericFanoutReconcilePlan, createGenericFanoutReconcileResult } from '../src/fanout/index.js';
import { assertBuilt, fixtures, runBin, runHomeboyInProcess, tempDir, type RunResult } from './fanout-cli-helpers.js';

/** Reference §9 T42 and §7: the compatibility bin with the seed's flags. */
let temp: Awaited<ReturnType<typeof tempDir>>;
/** In-process: these cases test the command, not the process boundary (see the last describe). */
const homeboy = (args: string[], env?: Record<string, string>) => runHomeboyInProcess(args, env === undefined ? { cwd: temp.dir } : { cwd: temp.dir, env });
const readJson = async (name: string): Promise<unknown> => JSON.parse(await readFile(join(temp.dir, name), 'utf8'));
const BIN = 'homeboy-generic-fanout-reconcile';

function expectBadInput(result: RunResult, line: string | RegExp): void {
  expect(result.code, result.stderr).toBe(2);
  expect(result.stdout).toBe('');
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines, result.stderr).toHaveLength(1);
  if (typeof line === 'string') expect(lines[0]).toBe(line);
  else expect(lines[0]).toMatch(line);
}

beforeAll(assertBuilt);
beforeEach(async () => {
  temp = await tempDir();
  for (const name of ['seed-config.json', 'seed-items.json', 'seed-records.json', 'agent-task-records.json']) await copyFile(join(fixtures, name), join(temp.dir, name));
  await temp.write('with-items.json', { ...((await readJson('seed-config.json')) as object), items: [{ id: 'c1', category: 'gamma' }] });
});
afterEach(() => temp.cleanup());

describe('homeboy-generic-fanout-reconcile', () => {
  it('T42 no arguments: exit 2 naming --config', async () => {
    expectBadInput(await homeboy([]), `${BIN}: --config is required (see --help)`);
  });

  it('T42 --help prints usage on stdout and exits 0', async () => {
    for (const args of [['--help'], ['--config', 'c.json', '--help']]) {
      const result = await homeboy(args);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^Usage: homeboy-generic-fanout-reconcile --config <config.json>/);
    }
  });

  it('T42 --config alone plans the config items to stdout', async () => {
    const result = await homeboy(['--config', 'with-items.json']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(`${JSON.stringify(createGenericFanoutReconcilePlan({ config: await readJson('with-items.json'), items: [{ id: 'c1', category: 'gamma' }] }), null, 2)}\n`);
  });

  it('the seed plan command writes --output', async () => {
    const result = await homeboy(['--config', 'seed-config.json', '--items', 'seed-items.json', '--output', 'fanout-plan.json']);
    expect(result.code, result.stderr).toBe(0);
    expect(await readJson('fanout-plan.json')).toEqual(createGenericFanoutReconcilePlan({ config: await readJson('seed-config.json'), items: await readJson('seed-items.json') }));
  });

  it('T42 in plan mode --plan is the output path when --output is absent (dirs created); --items overrides config.items', async () => {
    const result = await homeboy(['--config', 'with-items.json', '--items', 'seed-items.json', '--plan', 'out/plan.json']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('');
    expect((await readJson('out/plan.json')) as object).toMatchObject({ summary: { item_count: 3, group_count: 2 } });
  });

  it('the seed reconcile command writes the result', async () => {
    expect((await homeboy(['--config', 'seed-config.json', '--items', 'seed-items.json', '--output', 'fanout-plan.json'])).code).toBe(0);
    const result = await homeboy(['--config', 'seed-config.json', '--plan', 'fanout-plan.json', '--records', 'agent-task-records.json', '--output', 'fanout-result.json']);
    expect(result.code, result.stderr).toBe(0);
    const expected = await createGenericFanoutReconcileResult({ config: await readJson('seed-config.json'), plan: await readJson('fanout-plan.json'), records: await readJson('agent-task-records.json') });
    expect(await readJson('fanout-result.json')).toEqual(expected);
    expect(expected).toMatchObject({ status: 'completed', records: [{ status: 'completed', outcome: { status: 'succeeded' } }, { status: 'completed', outcome: { status: 'no_op' } }] });
  });

  it('T42 --records without --plan rebuilds the plan from config and items; result to stdout', async () => {
    const result = await homeboy(['--config', 'seed-config.json', '--items', 'seed-items.json', '--records', 'seed-records.json']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ schema: 'homeboy/generic-fanout-reconcile-result/v1', status: 'failed', reconciliation: { task_count: 2, success_count: 1, failed_task_ids: ['task-beta'] } });
  });

  it('T42 a failed result still exits 0; --strict makes it exit 1', async () => {
    await temp.write('empty.json', []);
    const result = await homeboy(['--config', 'seed-config.json', '--items', 'seed-items.json', '--records', 'empty.json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).status).toBe('failed');
    expect((await homeboy(['--config', 'seed-config.json', '--items', 'seed-items.json', '--records', 'empty.json', '--strict'])).code).toBe(1);
  });

  it('T42 HOMEBOY_RUNTIME_AGENT_RUN_DIR / _FANOUT_RUN_FILE also receive the result', async () => {
    const viaDir = await homeboy(['--config', 'seed-config.json', '--items', 'seed-items.json', '--records', 'seed-records.json', '--output', 'result.json'], { HOMEBOY_RUNTIME_AGENT_RUN_DIR: join(temp.dir, 'run') });
    expect(viaDir.code, viaDir.stderr).toBe(0);
    expect(await readJson('run/fanout-run.json')).toEqual(await readJson('result.json'));
    const viaFile = await homeboy(['--config', 'seed-config.json', '--items', 'seed-items.json', '--records', 'seed-records.json'], { HOMEBOY_RUNTIME_AGENT_FANOUT_RUN_FILE: join(temp.dir, 'x/run.json'), HOMEBOY_RUNTIME_AGENT_RUN_DIR: join(temp.dir, 'ignored') });
    expect(viaFile.code, viaFile.stderr).toBe(0);
    expect(await readJson('x/run.json')).toEqual(JSON.parse(viaFile.stdout));
    expect(await readdir(temp.dir)).not.toContain('ignored');
  });

  it('accepts --flag=value', async () => {
    const result = await homeboy(['--config=seed-config.json', '--items=seed-items.json']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).summary.item_count).toBe(3);
  });

  it('config status_mapping "none" turns the agent-task mapping off', async () => {
    await temp.write('plain.json', { ...((await readJson('seed-config.json')) as object), status_mapping: 'none' });
    const result = await homeboy(['--config', 'plain.json', '--items', 'seed-items.json', '--records', 'agent-task-records.json']);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'failed', records: [{ status: 'succeeded' }, { status: 'no_op' }] });
  });
});

describe('homeboy-generic-fanout-reconcile: bad usage and input exit 2 with one line', () => {
  afterEach(async () => {
    expect((await readdir(temp.dir)).filter((name) => name.startsWith('out'))).toEqual([]);
  });

  it('T42 invalid JSON', async () => {
    await temp.write('bad.json', '{');
    expectBadInput(await homeboy(['--config', 'bad.json', '--output', 'out.json']), /^homeboy-generic-fanout-reconcile: bad\.json: invalid JSON: /);
  });

  it('T42 a missing config', async () => {
    expectBadInput(await homeboy(['--config', 'missing.json', '--output', 'out.json']), `${BIN}: missing.json: file not found`);
  });

  it('a null config', async () => {
    await temp.write('null.json', 'null');
    expectBadInput(await homeboy(['--config', 'null.json', '--output', 'out.json']), `${BIN}: null.json: $: expected object, got null`);
  });

  it('a flag without a value', async () => {
    expectBadInput(await homeboy(['--config', 'seed-config.json', '--items']), `${BIN}: --items needs a file name`);
    expectBadInput(await homeboy(['--config', '--items', 'seed-items.json']), `${BIN}: --config needs a file name`);
    expectBadInput(await homeboy(['--config=']), `${BIN}: --config needs a file name`);
  });

  it('an unknown flag, a repeated flag, a stray argument', async () => {
    expectBadInput(await homeboy(['--config', 'seed-config.json', '--concurrency', '4']), `${BIN}: unknown option --concurrency (see --help)`);
    expectBadInput(await homeboy(['--config', 'seed-config.json', '--config', 'x.json']), `${BIN}: --config given twice`);
    expectBadInput(await homeboy(['--config', 'seed-config.json', 'extra']), `${BIN}: unexpected argument "extra" (see --help)`);
  });

  it('bad items, records and plans', async () => {
    await temp.write('items.json', [1]);
    expectBadInput(await homeboy(['--config', 'seed-config.json', '--items', 'items.json', '--output', 'out.json']), `${BIN}: items.json: $[0]: expected object, got number`);
    await temp.write('records.json', { records: [null] });
    expectBadInput(await homeboy(['--config', 'seed-config.json', '--items', 'seed-items.json', '--records', 'records.json', '--output', 'out.json']), `${BIN}: records.json: $.records[0]: expected object, got null`);
    await temp.write('plan.json', { task_requests: [{ id: 'a' }, { id: 'a' }] });
    expectBadInput(await homeboy(['--config', 'seed-config.json', '--plan', 'plan.json', '--records', 'seed-records.json', '--output', 'out.json']), `${BIN}: plan.json: $.task_requests[1].id: duplicate task id "a" (also $.task_requests[0])`);
    await temp.write('falsy.json', 'false');
    expectBadInput(await homeboy(['--config', 'seed-config.json', '--plan', 'falsy.json', '--records', 'seed-records.json', '--output', 'out.json']), `${BIN}: falsy.json: $: expected object, got boolean`);
  });

  it('duplicate ids in a rebuilt plan', async () => {
    await temp.write('dup.json', { task_request_template: { id: 'same' }, items: [{ group_key: 'a' }, { group_key: 'b' }] });
    expectBadInput(await homeboy(['--config', 'dup.json', '--output', 'out.json']), `${BIN}: dup.json: $.task_requests[1].id: duplicate task id "same" (also $.task_requests[0]); the task_request_template must give each group its own id`);
  });
});

describe('the real bin, where the process boundary is what is tested', () => {
  it('plans to --output and exits 0; bad input exits 2 with one stderr line', async () => {
    const bin = (args: string[]) => runBin('homeboy-generic-fanout-reconcile', args, { cwd: temp.dir });
    const ok = bin(['--config', 'seed-config.json', '--items', 'seed-items.json', '--output', 'plan.json']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(await readJson('plan.json')).toEqual(createGenericFanoutReconcilePlan({ config: await readJson('seed-config.json'), items: await readJson('seed-items.json') }));
    expectBadInput(bin(['--config', 'missing.json']), `${BIN}: missing.json: file not found`);
  });

  it('reconciles with --strict: exit 1 when the result failed, and the run file from the environment', async () => {
    await temp.write('empty.json', []);
    const result = runBin('homeboy-generic-fanout-reconcile', ['--config', 'seed-config.json', '--items', 'seed-items.json', '--records', 'empty.json', '--strict', '--output', 'result.json'], { cwd: temp.dir, env: { HOMEBOY_RUNTIME_AGENT_FANOUT_RUN_FILE: join(temp.dir, 'run.json') } });
    expect(result.code, result.stderr).toBe(1);
    expect(await readFile(join(temp.dir, 'run.json'), 'utf8')).toBe(await readFile(join(temp.dir, 'result.json'), 'utf8'));
  });
});
