import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, fixtures, repoRoot, tempDir } from './fanout-cli-helpers.js';
import { ranTheBundle, unbundledModuleUrls } from './helpers/bundle-modules.js';

/**
 * `drover fanout` loads only what it uses (issue 13): the UI, the MCP SDK, OpenTelemetry and the
 * YAML parser cost about a second of imports on every call and the fanout command needs none.
 * A module-resolution hook in the real bin's process lists every package it loads. zod is loaded
 * only to word an error: valid documents pass a fast check (`checkWithSchema`).
 */
let temp: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  assertBuilt();
  temp = await tempDir();
  await writeFile(join(temp.dir, 'hook.mjs'), "export async function resolve(specifier, context, next) { const result = await next(specifier, context); process.stderr.write(`loaded ${result.url}\\n`); return result; }\n");
  // The ESM hook does not see CommonJS requires (how zod is loaded to word an error), so the
  // CommonJS resolver reports too.
  const cjs = 'const resolveFilename = Module._resolveFilename; Module._resolveFilename = function (...args) { const file = resolveFilename.apply(this, args); process.stderr.write(`loaded file://${file}\\n`); return file; };';
  await writeFile(join(temp.dir, 'register.mjs'), `import Module, { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(temp.dir, 'hook.mjs')).href)});\n${cjs}\n`);
});
afterAll(() => temp.cleanup());

/**
 * Every module URL the real bin loads for `args`. The bin runs the CLI's bundle: its chunks are
 * mapped back to drover's modules through the build's metafile (packages stay external).
 */
function modulesLoaded(args: readonly string[], status = 0): string[] {
  const result = spawnSync(process.execPath, ['--import', join(temp.dir, 'register.mjs'), join(repoRoot, 'bin/drover.js'), ...args], { cwd: temp.dir, encoding: 'utf8' });
  expect(result.status, result.stderr).toBe(status);
  const traced = [...result.stderr.matchAll(/^loaded (.*)$/gm)].map((match) => match[1] ?? '');
  expect(ranTheBundle(repoRoot, traced)).toBe(true);
  return unbundledModuleUrls(repoRoot, traced);
}

function packagesLoaded(args: readonly string[], status = 0): Set<string> {
  const packages = new Set<string>();
  for (const url of modulesLoaded(args, status)) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
    if (match?.[1] !== undefined) packages.add(match[1]);
  }
  return packages;
}

describe('the fanout command\'s import graph', () => {
  it('plans and reconciles valid inputs with commander only: no zod, ink, React, MCP SDK, OpenTelemetry or yaml', async () => {
    const plan = join(temp.dir, 'plan.json');
    expect([...packagesLoaded(['fanout', 'plan', '--config', join(fixtures, 'seed-config.json'), '--items', join(fixtures, 'seed-items.json'), '--output', plan])]).toEqual(['commander']);
    const reconcile = ['fanout', 'reconcile', '--config', join(fixtures, 'seed-config.json'), '--plan', plan, '--records', join(fixtures, 'seed-records.json'), '--output', '-'];
    expect([...packagesLoaded(reconcile)]).toEqual(['commander']);
  });

  it('each subcommand loads its own engine only: a plan no reconciler or finding packets, a reconcile no planner', async () => {
    const plan = join(temp.dir, 'engine-plan.json');
    const planned = modulesLoaded(['fanout', 'plan', '--config', join(fixtures, 'seed-config.json'), '--items', join(fixtures, 'seed-items.json'), '--output', plan]);
    expect(planned.some((url) => url.endsWith('/fanout/plan/create-fanout-planner.js'))).toBe(true);
    expect(planned.filter((url) => url.endsWith('/fanout/reconcile/create-fanout-reconciler.js') || url.includes('/fanout/findings/'))).toEqual([]);
    const reconciled = modulesLoaded(['fanout', 'reconcile', '--config', join(fixtures, 'seed-config.json'), '--plan', plan, '--records', join(fixtures, 'seed-records.json')]);
    expect(reconciled.some((url) => url.endsWith('/fanout/reconcile/create-fanout-reconciler.js'))).toBe(true);
    expect(reconciled.filter((url) => url.endsWith('/fanout/plan/create-fanout-planner.js') || url.includes('/fanout/findings/'))).toEqual([]);
  });

  it('loads zod to word the error when the config or the plan is invalid', async () => {
    const config = join(temp.dir, 'bad-config.json');
    await writeFile(config, JSON.stringify({ group_key_path: [] }));
    expect([...packagesLoaded(['fanout', 'plan', '--config', config, '--items', join(fixtures, 'seed-items.json')], 2)].sort()).toEqual(['commander', 'zod']);
    const plan = join(temp.dir, 'bad-plan.json');
    await writeFile(plan, JSON.stringify({ task_requests: [{ id: true }] }));
    expect([...packagesLoaded(['fanout', 'reconcile', '--config', join(fixtures, 'seed-config.json'), '--plan', plan, '--records', join(fixtures, 'seed-records.json')], 2)].sort()).toEqual(['commander', 'zod']);
  });

  it('sees the packages the other commands load for `drover --help` (so the check above can fail)', () => {
    // `--help` loads every subcommand's module; the dashboard command imports the graph layout
    // (@dagrejs/dagre) at module level, so that is what shows the hook is watching.
    const packages = packagesLoaded(['--help']);
    expect(packages.has('@dagrejs/dagre')).toBe(true);
  });
});
