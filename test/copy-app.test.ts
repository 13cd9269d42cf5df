import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyApp, hashTree } from './helpers/run-cli.js';

// Following the README in order (`npx drover run --install-dir examples/next-app`, then
// `npm test`) leaves a finished run in examples/next-app/.drover. Tests copy that example, and
// must start from the project alone, not from whatever a demo run left behind.
describe('copyApp (the fixture copy every CLI test starts from)', () => {
  it('copies the project but not a state dir left by a demo run, nor one moved aside', async () => {
    const source = await mkdtemp(join(tmpdir(), 'drover-source-'));
    await mkdir(join(source, 'app', 'api'), { recursive: true });
    await writeFile(join(source, 'package.json'), '{"name":"demo"}\n');
    await writeFile(join(source, 'app', 'api', 'route.ts'), 'export {};\n');
    await writeFile(join(source, '.droverrc-lookalike'), 'kept: not a state dir\n');
    for (const state of ['.drover', '.drover.old']) {
      await mkdir(join(source, state, 'handoffs'), { recursive: true });
      await writeFile(join(source, state, 'audit.jsonl'), '{"seq":1,"event":"run-started"}\n');
      await writeFile(join(source, state, 'lock'), '{"pid":1}\n');
    }
    const copy = await copyApp(source);
    expect(existsSync(join(copy, '.drover'))).toBe(false);
    expect(existsSync(join(copy, '.drover.old'))).toBe(false);
    expect(await hashTree(copy)).toEqual(await hashTree(source, ['.drover', '.drover.old']));
  });
});
