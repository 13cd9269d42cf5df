import { spawnSync } from 'node:child_process';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { assertBuilt, repoRoot, tempDir } from './fanout-cli-helpers.js';

/** docs/fanout.md's paste-and-run example, run as written against the built bins. */
let temp: Awaited<ReturnType<typeof tempDir>>;

beforeAll(assertBuilt);
beforeEach(async () => {
  temp = await tempDir();
});
afterEach(() => temp.cleanup());

async function docsExample(name = 'fanout-example'): Promise<string> {
  const doc = await readFile(join(repoRoot, 'docs/fanout.md'), 'utf8');
  const start = doc.indexOf(`<!-- ${name}:start -->`);
  const block = /```bash\n([\s\S]*?)```\s*<!-- [a-z-]+:end -->/.exec(start === -1 ? '' : doc.slice(start));
  if (block?.[1] === undefined) throw new Error(`docs/fanout.md has no ${name} block`);
  return block[1];
}

async function binDir(): Promise<string> {
  const bin = join(temp.dir, 'bin');
  await mkdir(bin, { recursive: true });
  for (const name of ['drover', 'homeboy-generic-fanout-reconcile']) {
    await writeFile(join(bin, name), `#!/bin/sh\nexec "${process.execPath}" "${join(repoRoot, 'bin', `${name}.js`)}" "$@"\n`);
    await chmod(join(bin, name), 0o755);
  }
  return bin;
}

describe('docs/fanout.md "Try it"', () => {
  it('runs and produces the plan and result the text describes', async () => {
    const bin = await binDir();
    const run = spawnSync('bash', ['-euo', 'pipefail', '-c', await docsExample()], { cwd: temp.dir, encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env['PATH'] ?? ''}` } });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe('exit 1: not every task completed\n');
    const demo = join(temp.dir, 'fanout-demo');
    const plan = JSON.parse(await readFile(join(demo, 'fanout-plan.json'), 'utf8'));
    expect(plan.task_requests.map((task: { id: string; item_ids: string[] }) => [task.id, task.item_ids])).toEqual([
      ['task-alpha', ['a1', 'a2']],
      ['task-beta', ['b1']],
    ]);
    expect(plan.task_requests[0].instructions).toBe('Process alpha with 2 item(s).');
    const result = JSON.parse(await readFile(join(demo, 'fanout-result.json'), 'utf8'));
    expect(result).toMatchObject({ status: 'failed', reconciliation: { success_count: 1, failed_task_ids: ['task-beta'] } });
  });
});

describe('docs/fanout.md finding packets from the command line', () => {
  it('runs and plans one task request per severity, as the comment says', async () => {
    const bin = await binDir();
    const run = spawnSync('bash', ['-euo', 'pipefail', '-c', await docsExample('findings-example')], { cwd: temp.dir, encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env['PATH'] ?? ''}` } });
    expect(run.status, run.stderr).toBe(0);
    const plan = JSON.parse(await readFile(join(temp.dir, 'findings-demo', 'findings-plan.json'), 'utf8'));
    expect(plan.task_requests.map((task: { id: string; item_ids: string[] }) => [task.id, task.item_ids])).toEqual([
      ['finding-packet-warning', ['lint:f1']],
      ['finding-packet-error', ['lint:f2', 'typecheck:t1']],
    ]);
    expect(plan.summary).toMatchObject({ packet_count: 2, finding_count: 3 });
  });
});

describe('docs/fanout.md outcome classes', () => {
  it('runs and classifies each task as the comment says', async () => {
    const bin = await binDir();
    const run = spawnSync('bash', ['-euo', 'pipefail', '-c', await docsExample('classes-example')], { cwd: temp.dir, encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env['PATH'] ?? ''}` } });
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(await readFile(join(temp.dir, 'classes-demo', 'result.json'), 'utf8'));
    expect(result.outcome_classes).toEqual({ apply: ['fix-auth'], review: [], retry: ['fix-db', 'fix-api'], report: ['audit-ui', 'fix-css'] });
    expect(result.no_change).toEqual([{ task_id: 'audit-ui', reason: 'analysis-only' }]);
  });
});
