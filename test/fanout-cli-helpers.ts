import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Helpers for the fanout CLI tests: they run the real bins (which import dist/) on real files. */
export const repoRoot = fileURLToPath(new URL('../', import.meta.url));
export const fixtures = join(repoRoot, 'test/fixtures/fanout');

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function assertBuilt(): void {
  if (!existsSync(join(repoRoot, 'dist/cli/homeboy-main.js'))) throw new Error('dist/ is missing: run `npm run build` before the CLI tests');
}

export function runBin(bin: 'drover' | 'homeboy-generic-fanout-reconcile', args: readonly string[], options: { cwd: string; env?: Record<string, string> }): RunResult {
  const result = spawnSync(process.execPath, [join(repoRoot, 'bin', `${bin}.js`), ...args], { cwd: options.cwd, encoding: 'utf8', env: { ...process.env, ...options.env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

export async function tempDir(): Promise<{ dir: string; write: (name: string, value: unknown) => Promise<string>; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'drover-fanout-'));
  return {
    dir,
    write: async (name, value) => {
      await writeFile(join(dir, name), typeof value === 'string' ? value : JSON.stringify(value));
      return name;
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}
