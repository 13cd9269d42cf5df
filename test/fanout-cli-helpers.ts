import { Writable } from 'node:stream';
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

/** A writable that keeps what is written, for a command's captured stdout or stderr. */
function capture(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

/**
 * Runs `drover <args>` in this process (the same commander program and error mapping as the bin,
 * with captured streams), for cases where the process boundary is not what is tested: a spawn
 * costs a node start-up and every import. With `cwd` the process directory is changed for the
 * call (vitest runs each test file in its own process, one test at a time).
 */
export async function runDroverInProcess(args: readonly string[], options: { cwd?: string } = {}): Promise<RunResult> {
  const { main } = await import('../src/cli/main.js');
  const stdout = capture();
  const stderr = capture();
  const previous = process.cwd();
  if (options.cwd !== undefined) process.chdir(options.cwd);
  let code: number;
  try {
    code = await main(args, { stdout: stdout.stream, stderr: stderr.stream });
  } finally {
    process.chdir(previous);
  }
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

/**
 * Runs `homeboy-generic-fanout-reconcile <args>` in this process (`homeboyMain`, the bin's whole
 * body, with captured streams): the same flags, messages and exit codes without a node start per
 * case. `env` is set for the call and restored after; calls must not overlap.
 */
export async function runHomeboyInProcess(args: readonly string[], options: { cwd: string; env?: Record<string, string> }): Promise<RunResult> {
  const { homeboyMain } = await import('../src/cli/homeboy-main.js');
  const stdout = capture();
  const stderr = capture();
  const previous = process.cwd();
  const saved = Object.fromEntries(Object.keys(options.env ?? {}).map((key) => [key, process.env[key]]));
  process.chdir(options.cwd);
  Object.assign(process.env, options.env ?? {});
  try {
    const code = await homeboyMain(args, { stdout: stdout.stream, stderr: stderr.stream });
    return { code, stdout: stdout.text(), stderr: stderr.text() };
  } finally {
    process.chdir(previous);
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}
