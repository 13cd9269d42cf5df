import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ranTheBundle, unbundledModuleUrls } from './helpers/bundle-modules.js';
import { DROVER_BIN, REPO_ROOT } from './helpers/run-cli.js';

// What each command loads, read from a module-loading hook in the real CLI process: a command
// must not pay for the live view (ink, React), the MCP SDK or OpenTelemetry when it does not use
// them. These are the imports that made `drover --version` take ten times `node -e 0`. The bin
// runs the CLI's bundle: the chunks a process loaded are mapped back to drover's modules through
// the build's metafile, and packages stay external, so both are seen as before the bundle.
const TRACE = new URL('./helpers/module-trace.mjs', import.meta.url).pathname;
const HEAVY = ['ink', 'react', 'react-reconciler', '@modelcontextprotocol/sdk', '@opentelemetry/api', 'posthog-node', 'es-toolkit', '@dagrejs/dagre'];

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'drover-lazy-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Runs the bin with the trace hook and returns the packages (by node_modules name) and drover modules it loaded. */
async function loaded(name: string, args: readonly string[]): Promise<{ packages: Set<string>; files: string[]; code: number | null; bundled: boolean }> {
  const trace = join(work, `${name}.txt`);
  const env: NodeJS.ProcessEnv = { ...process.env, DROVER_MODULE_TRACE: trace, DO_NOT_TRACK: '1' };
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TRACE, DROVER_BIN, ...args], { env, stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', resolve);
  });
  const traced = [...new Set((await readFile(trace, 'utf8')).trim().split('\n'))];
  const files = unbundledModuleUrls(REPO_ROOT, traced);
  const packages = new Set(files.map((url) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1]).filter((pkg): pkg is string => pkg !== undefined));
  return { packages, files, code, bundled: ranTheBundle(REPO_ROOT, traced) };
}

describe('each command loads only what it uses (real CLI, module-loading hook)', () => {
  it('drover --version loads commander and almost nothing of its own', async () => {
    const { packages, files, code, bundled } = await loaded('version', ['--version']);
    expect(code).toBe(0);
    expect(bundled).toBe(true);
    expect([...packages]).toEqual(['commander']);
    expect(files.filter((url) => url.includes('/dist/')).length).toBeLessThanOrEqual(8);
  });

  it('drover fanout plan loads neither the live view, the MCP SDK, telemetry nor zod (valid inputs)', async () => {
    const fixtures = join(REPO_ROOT, 'test', 'fixtures', 'fanout');
    const { packages, code } = await loaded('fanout', ['fanout', 'plan', '--config', join(fixtures, 'seed-config.json'), '--items', join(fixtures, 'seed-items.json'), '--output', join(work, 'plan.json')]);
    expect(code).toBe(0);
    for (const heavy of [...HEAVY, 'zod']) expect(packages).not.toContain(heavy);
  });

  it('drover run with the stub agent and the plain view loads neither ink, React, the MCP SDK, OpenTelemetry, zod nor yaml', async () => {
    // Prompt frontmatter and the stub's tool calls pass the fast zod-free checks; the state files
    // are not read on a fresh run. zod is loaded only to word an error or to read state, yaml
    // only for frontmatter beyond the simple forms the bundled prompts use.
    const app = join(work, 'app');
    await cp(join(REPO_ROOT, 'examples', 'next-app'), app, { recursive: true, filter: (source) => !source.includes('.drover') });
    const { packages, code } = await loaded('run', ['run', '--install-dir', app, '--ui', 'plain', '--no-telemetry']);
    expect(code).toBe(0);
    for (const heavy of [...HEAVY, 'zod', 'yaml']) expect(packages).not.toContain(heavy);
  });

  it('drover status loads no view library, and zod to check the state files it reads (so the checks above can fail)', async () => {
    const { packages } = await loaded('status', ['status', '--install-dir', join(work, 'app')]);
    for (const heavy of HEAVY) expect(packages).not.toContain(heavy);
    expect(packages).toContain('zod');
  });
});
