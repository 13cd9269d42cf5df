import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Writable } from 'node:stream';

export const DROVER_BIN = new URL('../../bin/drover.js', import.meta.url).pathname;
export const REPO_ROOT = new URL('../../', import.meta.url).pathname;

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface StartedDrover {
  readonly child: ChildProcess;
  readonly done: Promise<CliResult>;
  /** Resolves once stdout matches `pattern` (an event, not a sleep); rejects if the process ends first. */
  readonly stdoutMatches: (pattern: RegExp) => Promise<void>;
  /** The same for stderr. */
  readonly stderrMatches: (pattern: RegExp) => Promise<void>;
}

/** Starts the real `drover` bin as a child process (in `options.cwd`, default this process's). */
export function startDrover(args: readonly string[], env: NodeJS.ProcessEnv = {}, options: { readonly cwd?: string } = {}): StartedDrover {
  const child = spawn(process.execPath, [DROVER_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DO_NOT_TRACK: '1', ...env }, ...(options.cwd !== undefined ? { cwd: options.cwd } : {}) });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const done = new Promise<CliResult>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })));
  const matches = (stream: 'stdout' | 'stderr') => (pattern: RegExp): Promise<void> =>
    new Promise((resolve, reject) => {
      const text = (): string => (stream === 'stdout' ? stdout : stderr);
      const check = (): void => {
        if (!pattern.test(text())) return;
        child[stream]!.off('data', check);
        resolve();
      };
      child[stream]!.on('data', check);
      void done.then((result) => (pattern.test(result[stream]) ? resolve() : reject(new Error(`drover exited (${result.code ?? result.signal}) before ${stream} matched ${pattern}; stderr: ${result.stderr}`))));
      check();
    });
  return { child, done, stdoutMatches: matches('stdout'), stderrMatches: matches('stderr') };
}

/** Runs the real `drover` bin in a child process: for what the process boundary is part of (signals, locks, crashes, exit codes of the bin). */
export function droverProcess(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return startDrover(args, env).done;
}

/**
 * Runs the CLI in this process — `main(argv)` with captured stdout and stderr — for cases where
 * the process boundary is not what is tested: it skips a Node start and ~1 s of imports per call.
 * `env` is set on `process.env` for the call and restored after, so calls must not overlap
 * (vitest runs the tests of one file one after another).
 */
export async function drover(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const capture = (append: (text: string) => void): Writable =>
    new Writable({
      write(chunk: Buffer | string, _encoding, callback) {
        append(chunk.toString());
        callback();
      },
    });
  const saved = Object.fromEntries(Object.keys({ DO_NOT_TRACK: '1', ...env }).map((key) => [key, process.env[key]]));
  Object.assign(process.env, { DO_NOT_TRACK: '1', ...env });
  try {
    // Loaded on first use: files that only start the real bin, or copy apps, skip the CLI's module graph.
    const { main } = await import('../../src/cli/main.js');
    const code = await main(args, { bin: 'drover', stdout: capture((text) => (stdout += text)), stderr: capture((text) => (stderr += text)) });
    return { code, signal: null, stdout, stderr };
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

/**
 * Copies a fixture app to a fresh temp dir, so runs never touch the repo's copy. A `.drover`
 * state dir in the source (left by someone following the README's demo, `drover run
 * --install-dir examples/next-app`) is not copied: tests start from the project alone.
 */
export async function copyApp(source: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'drover-app-'));
  await cp(source, dir, { recursive: true, filter: (path) => !isStateDir(relative(source, path)) });
  return dir;
}

/** `.drover`, or one moved aside as `.drover.*`, at the top of a project. */
function isStateDir(rel: string): boolean {
  const top = rel.split('/')[0] ?? '';
  return top === '.drover' || top.startsWith('.drover.');
}

/** sha256 of every file under `root`, except those under the skipped top-level names. */
export async function hashTree(root: string, skip: readonly string[] = []): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      const rel = relative(root, path);
      if (skip.some((name) => rel === name || rel.startsWith(`${name}/`))) continue;
      if (entry.isDirectory()) await walk(path);
      else out[rel] = createHash('sha256').update(await readFile(path)).digest('hex');
    }
  };
  await walk(root);
  return out;
}

export async function readJsonLines(file: string): Promise<Array<Record<string, unknown>>> {
  const text = await readFile(file, 'utf8');
  return text.trimEnd().split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Record<string, unknown>);
}

/**
 * Polls `check` until it holds: for a file or a line another process writes. The deadline only
 * turns a hang into a failure; it is long because a loaded machine is slow, not wrong.
 */
export async function waitFor(check: () => Promise<boolean>, timeoutMs = 150_000, everyMs = 25): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  throw new Error('condition not met in time');
}

/** Waits until an agent log anywhere under `dir` says the fake agent hangs, and returns its pid. */
export async function hangingAgentPid(dir: string): Promise<number> {
  let pid = 0;
  await waitFor(async () => {
    if (!existsSync(dir)) return false;
    for (const name of await readdir(dir, { recursive: true })) {
      if (!name.endsWith('.log')) continue;
      const match = /pid (\d+) hanging/.exec(await readFile(join(dir, name), 'utf8'));
      if (match) pid = Number(match[1]);
    }
    return pid > 0;
  });
  return pid;
}

/** Alive and not a zombie (an orphan's exit may wait for a reaper that this container's init is not). */
export function isRunning(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Whether a process with this pid exists (signal 0 checks without sending anything). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
