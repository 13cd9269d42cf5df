import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/run-cli.js';

const execFileAsync = promisify(execFile);
const read = (file: string) => readFile(join(REPO_ROOT, file), 'utf8');
const exampleBlock = (text: string) => /<!-- fanout-example:start -->([\s\S]*?)<!-- fanout-example:end -->/.exec(text)?.[1];

describe('what the README promises', () => {
  it('shows the install, main-job and test commands, and .ci/run runs exactly those plus typecheck and lint', async () => {
    const readme = await read('README.md');
    for (const command of ['npm ci', 'npx drover run --install-dir examples/next-app', 'npm test']) expect(readme).toContain(command);
    const ci = (await read('.ci/run')).split('\n').filter((line) => line.startsWith('npm '));
    expect(ci).toEqual(['npm ci', 'npm run test:agents:install', 'npm run typecheck', 'npm run lint', 'npm test']);
    // ...after installing Debian's chromium when missing, for the dashboard's browser tests, which must not skip there.
    const script = await read('.ci/run');
    expect(script).toMatch(/if \[ ! -x \/usr\/bin\/chromium \]; then[\s\S]*DEBIAN_FRONTEND=noninteractive \$sudo apt-get install -y -qq chromium\nfi\nexport DROVER_REQUIRE_BROWSER=1\nnpm ci\n/);
  });

  it("the README's agent commands are docs/agents.md's tested ones", async () => {
    const block = /<!-- agents-example:start -->\s*```bash\n([\s\S]*?)```/.exec(await read('docs/agents.md'))?.[1];
    expect(block?.split('\n').filter((line) => line !== '')).toHaveLength(2);
    for (const line of block!.split('\n').filter((candidate) => candidate !== '')) expect(await read('README.md')).toContain(line);
  });

  it("the README's fanout paste is docs/fanout.md's tested example, run through npx", async () => {
    const fromDocs = exampleBlock(await read('docs/fanout.md'));
    const fromReadme = exampleBlock(await read('README.md'));
    expect(fromDocs).toBeDefined();
    expect(fromReadme).toBe(fromDocs!.replaceAll('drover fanout', 'npx drover fanout'));
  });

  it('every subpath export and bin points at a file that the build produced', async () => {
    const pkg = JSON.parse(await read('package.json')) as { exports: Record<string, string | { types: string; default: string }>; bin: Record<string, string> };
    for (const target of Object.values(pkg.exports)) {
      for (const file of typeof target === 'string' ? [target] : [target.types, target.default]) expect(existsSync(join(REPO_ROOT, file)), file).toBe(true);
    }
    for (const file of Object.values(pkg.bin)) expect(existsSync(join(REPO_ROOT, file)), file).toBe(true);
  });

  it('the library entry points load and export what the README imports', async () => {
    // As a user's program loads them: by package name, in a plain Node process (not through the
    // test runner's module loader, which would transform every file of dist/ first).
    const script = `
      const root = await import('drover');
      const fanout = await import('drover/fanout');
      const testing = await import('drover/testing');
      const kinds = (module, names) => names.map((name) => typeof module[name]);
      console.log(JSON.stringify([
        kinds(root, ['FileStore', 'RunQueue', 'drainQueue', 'functionAgent']),
        kinds(fanout, ['planFanout', 'reconcileFanout', 'createFindingPacketFanoutPlan']),
        kinds(testing, ['MemoryStore', 'QueueBuilder']),
      ]));`;
    const { stdout } = await execFileAsync(process.execPath, ['--input-type=module', '-e', script], { cwd: REPO_ROOT });
    expect(JSON.parse(stdout)).toEqual([
      ['function', 'function', 'function', 'function'],
      ['function', 'function', 'function'],
      ['function', 'function'],
    ]);
  });
});
