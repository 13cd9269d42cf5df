import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyApp, drover, hashTree, REPO_ROOT } from './helpers/run-cli.js';

/**
 * `drover run` on a repository with several apps, as a user meets it: the real CLI, a copy of a
 * turbo + pnpm workspace holding a Next.js app and an Express API.
 */
const SEVERAL_APPS = join(REPO_ROOT, 'test/fixtures/workspaces/several-apps');

describe('drover run on a workspace with several apps (real CLI)', () => {
  it('lists the apps it found, says how to choose, exits 2 and writes nothing', async () => {
    const dir = await copyApp(SEVERAL_APPS);
    const before = await hashTree(dir);
    const result = await drover(['run', '--install-dir', dir, '--ui', 'plain']);
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('found 2 apps: apps/api (express), apps/web (nextjs)');
    expect(lines[0]).toContain('choose one with --app DIR, e.g. --app apps/api');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    // Not even an empty state dir is left behind.
    expect(await hashTree(dir)).toEqual(before);
    expect(existsSync(join(dir, '.drover'))).toBe(false);
  });

  it('runs the app chosen with --app, records where it lives, and seeds from there', async () => {
    const dir = await copyApp(SEVERAL_APPS);
    const result = await drover(['run', '--install-dir', dir, '--app', 'apps/web', '--ui', 'plain']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const queue = JSON.parse(await readFile(join(dir, '.drover', 'queue.json'), 'utf8')) as {
      detected: { framework: string; packageManager: string; appDir: string };
      tasks: Array<{ type: string; inputs: Record<string, unknown> }>;
    };
    expect(queue.detected).toEqual({ framework: 'nextjs', packageManager: 'pnpm', appDir: 'apps/web' });
    expect(result.stdout).toContain('(nextjs, pnpm, app in apps/web/)');
    const plan = queue.tasks.find((task) => task.type === 'plan');
    expect(plan?.inputs.candidates).toEqual(['apps/web/app/page.tsx']);
    expect(queue.tasks.find((task) => task.type === 'install')?.inputs.appDir).toBe('apps/web');
  });

  it('rejects an --app folder that does not exist with one line naming it', async () => {
    const dir = await copyApp(SEVERAL_APPS);
    const result = await drover(['run', '--install-dir', dir, '--app', 'apps/mobile', '--ui', 'plain']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(`drover: apps/mobile: --app: no such folder in ${dir}`);
    expect(existsSync(join(dir, '.drover'))).toBe(false);
  });
});
