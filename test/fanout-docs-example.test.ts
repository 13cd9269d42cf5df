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

async function docsExample(): Promise<string> {
  const doc = await readFile(join(repoRoot, 'docs/fanout.md'), 'utf8');
  const block = /<!-- fanout-example:start -->\s*```bash\n([\s\S]*?)```\s*<!-- fanout-example:end -->/.exec(doc);
  if (block?.[1] === undefined) throw new Error('docs/fanout.md has no fanout-example block');
  return block[1];
}

describe('docs/fanout.md "Try it"', () => {
  it('runs and produces the plan and result the text describes', async () => {
    const bin = join(temp.dir, 'bin');
    await mkdir(bin);
    for (const name of ['drover', 'homeboy-generic-fanout-reconcile']) {
      await writeFile(join(bin, name), `#!/bin/sh\nexec "${process.execPath}" "${join(repoRoot, 'bin', `${name}.js`)}" "$@"\n`);
      await chmod(join(bin, name), 0o755);
    }
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
