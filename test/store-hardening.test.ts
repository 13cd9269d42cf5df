import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, open, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stubAgent } from '../src/agents/stub-agent.js';
import { StateWriteError } from '../src/errors/index.js';
import { drainQueue } from '../src/runner/drain-queue.js';
import { RunQueue } from '../src/backend/local/run-queue.js';
import { loadProgramPrompts, createTaskPreparer } from '../src/programs/prepare-task.js';
import { openAttemptLog } from '../src/util/attempt-log.js';
import { FileStore } from '../src/store/index.js';
import { functionAgent, TEST_POLICY } from '../src/testing/index.js';
import { faultyFs } from './helpers/faulty-fs.js';
import { stateDirWorkspace } from '../src/workspace/index.js';

const tempDir = () => mkdtemp(join(tmpdir(), 'drover-hardening-'));
const run = { runId: 'run-hard', installDir: '/app', detected: { framework: null, packageManager: null } };
const orchestrator = { kind: 'orchestrator' } as const;
const completes = functionAgent(async (_task, context) => {
  const result = await context.tools.complete_task({ status: 'done', handoff: { goal: 'g', did: 'd', forNextAgent: 'n' } });
  if (!result.ok) throw new Error(result.message);
});

/** A two-task chain a → b, each allowed one attempt, so a burned attempt would fail it for good. */
async function chain(store: FileStore, maxAttempts = 1): Promise<RunQueue> {
  await store.open();
  const queue = await RunQueue.start(store, run, TEST_POLICY);
  await queue.enqueueBatch((add) => {
    const a = add({ type: 'a', reason: 'r', maxAttempts });
    add({ type: 'b', reason: 'r', dependsOn: [a], maxAttempts });
  });
  return queue;
}

/** Resumes the run with a healthy disk and drains it; every task must end done. */
async function resumeToDone(dir: string): Promise<void> {
  const store = new FileStore(dir);
  const stored = await store.open(); // the lock was released: a new runner gets it
  const queue = await RunQueue.resume(store, stored!.state, TEST_POLICY);
  const verdict = await drainQueue(queue, { agent: completes, installDir: dir, stateDir: dir });
  await queue.close();
  expect(verdict.status).toBe('done');
  expect(queue.state.byPosition.map((task) => task.status)).toEqual(['done', 'done']);
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('a persistence failure stops the run cleanly (fault injection at the state-fs seam)', () => {
  it('an audit append that hits a full disk: one StateWriteError naming audit.jsonl, lock released, and the run resumes once space is back', async () => {
    const dir = await tempDir();
    let full = false;
    // Two attempts: the attempt running when drover itself stopped is given back only by crash recovery (issue 9 item 4).
    const queue = await chain(new FileStore(dir, { fs: faultyFs((op, path) => full && op === 'write' && path.endsWith('audit.jsonl')) }), 2);
    const agent = functionAgent(async (task, context) => {
      if (task.type === 'a') full = true;
      const result = await context.tools.complete_task({ status: 'done', handoff: { goal: 'g', did: 'd', forNextAgent: 'n' } });
      if (!result.ok) throw new Error(result.message);
    });
    const error = await rejection(drainQueue(queue, { agent, installDir: dir, stateDir: dir }));
    expect(error).toBeInstanceOf(StateWriteError);
    expect(error.message).toBe(`${join(dir, 'audit.jsonl')}: could not write: no space left on the device (ENOSPC)`);
    await queue.close();
    expect(existsSync(join(dir, 'lock'))).toBe(false);
    await resumeToDone(dir);
  });

  it.each([
    ['the prompt', 'prompts'],
    ['the stub marker', 'markers'],
  ])('%s write failing is not the agent\'s fault: the attempt is given back (max attempts 1) and the run stops, then resumes', async (_what, folder) => {
    const dir = await tempDir();
    const broken = faultyFs((op, path) => op === 'write' && path.includes(`/${folder}/`));
    const queue = await chain(new FileStore(dir));
    const prompts = await loadProgramPrompts({ stub: true });
    const error = await rejection(
      drainQueue(queue, {
        agent: folder === 'markers' ? stubAgent({ fs: broken }) : completes,
        installDir: dir,
        stateDir: dir,
        prepare: createTaskPreparer(prompts, stateDirWorkspace(dir), folder === 'prompts' ? broken : undefined),
      }),
    );
    expect(error).toBeInstanceOf(StateWriteError);
    expect(error.message).toMatch(new RegExp(`/${folder}/a-1\\.(md|json): could not write: no space left on the device \\(ENOSPC\\)$`));
    expect(queue.state.tasks.get('a-1')).toMatchObject({ status: 'pending', attempts: 0 });
    await queue.close();
    expect(existsSync(join(dir, 'lock'))).toBe(false);
    await resumeToDone(dir);
  });

  it('a snapshot write that fails is no unhandled rejection: the next append and close report queue.json, and the lock is released', async () => {
    const dir = await tempDir();
    const store = new FileStore(dir, { snapshotEvery: 1, snapshotIntervalMs: 0, fs: faultyFs((op, path) => op === 'rename' && path.endsWith('queue.json')) });
    await store.open();
    const queue = await RunQueue.start(store, run, TEST_POLICY);
    // The first snapshot write fails in the background; a later append must say so.
    let error: Error | undefined;
    for (let i = 0; i < 20 && error === undefined; i += 1) {
      error = await queue.enqueue({ type: 'work', inputs: { i }, reason: 'r' }, orchestrator).then(() => undefined, (caught: Error) => caught);
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(error).toBeInstanceOf(StateWriteError);
    expect(error!.message).toBe(`${join(dir, 'queue.json')}: could not write: no space left on the device (ENOSPC)`);
    await expect(queue.close()).rejects.toThrow(/queue\.json/);
    expect(existsSync(join(dir, 'lock'))).toBe(false);
    expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('names the cause for a read-only or foreign state dir: EROFS, EACCES', async () => {
    for (const [code, words] of [['EROFS', 'the file system is read-only'], ['EACCES', 'permission denied']] as const) {
      const dir = await tempDir();
      const store = new FileStore(dir, { fs: faultyFs((op) => op === 'open', code) });
      await store.open();
      const error = await rejection(RunQueue.start(store, run, TEST_POLICY));
      expect(error.message).toBe(`${join(dir, 'audit.jsonl')}: could not write: ${words} (${code})`);
      await store.close();
    }
  });

  it('a failing agent log write stops the agent and names logs/<id>.log', async () => {
    const dir = await tempDir();
    let stopped: Error | undefined;
    const log = await openAttemptLog(join(dir, 'logs', 'a-1.log'), { header: '--- attempt 1\n', fs: faultyFs((op) => op === 'write'), onFailure: (error) => (stopped = error) });
    log.write('output\n');
    await expect(log.close()).rejects.toThrow(`${join(dir, 'logs', 'a-1.log')}: could not write: no space left on the device (ENOSPC)`);
    expect(stopped).toBeInstanceOf(StateWriteError);
  });
});

describe('symbolic links in the state dir are refused before anything is written', () => {
  for (const entry of ['audit.jsonl', 'queue.json', 'events.jsonl', 'lock', 'handoffs', 'markers', 'logs', 'mcp', 'prompts', 'archive', 'handoffs/a-1.json', 'logs/a-1.log']) {
    it(`${entry} -> a file outside`, async () => {
      const outside = await tempDir();
      const target = join(outside, 'precious');
      await writeFile(target, 'keep me\n');
      const dir = await tempDir();
      if (entry.includes('/')) await mkdir(join(dir, entry.split('/')[0]!));
      await symlink(entry.includes('.') ? target : outside, join(dir, entry));
      const error = await rejection(new FileStore(dir).open());
      expect(error.message).toBe(`${join(dir, entry)}: is a symbolic link; drover never follows links in its state directory (remove it, or pass another --state-dir)`);
      expect(await readFile(target, 'utf8')).toBe('keep me\n');
      expect(await readdir(outside)).toEqual(['precious']);
      expect((await readdir(dir)).sort()).toEqual([entry.split('/')[0]!]);
    });
  }

  it('the state dir itself being a link', async () => {
    const outside = await tempDir();
    const parent = await tempDir();
    await symlink(outside, join(parent, '.drover'));
    await expect(new FileStore(join(parent, '.drover')).open()).rejects.toThrow(/\.drover: is a symbolic link/);
    expect(await readdir(outside)).toEqual([]);
  });

  it('a link planted after open is not written through (O_NOFOLLOW, rename over the link)', async () => {
    const outside = await tempDir();
    const target = join(outside, 'precious');
    await writeFile(target, 'keep me\n');
    const dir = await tempDir();
    const store = new FileStore(dir);
    await store.open();
    const queue = await RunQueue.start(store, run, TEST_POLICY);
    await mkdir(join(dir, 'handoffs'), { recursive: true });
    await symlink(target, join(dir, 'handoffs', 'a-1.json'));
    const added = await queue.enqueue({ type: 'a', reason: 'r' }, orchestrator);
    if (!added.ok) throw new Error(added.message);
    const attempt = await queue.markStarted('a-1');
    await queue.complete({ kind: 'task', taskId: 'a-1', attempt }, 'done', { goal: 'g', did: 'd', forNextAgent: 'n' });
    await queue.close();
    expect(await readFile(target, 'utf8')).toBe('keep me\n');
    expect(JSON.parse(await readFile(join(dir, 'handoffs', 'a-1.json'), 'utf8'))).toMatchObject({ taskId: 'a-1' });
  });
});

describe('clear errors and bounded files', () => {
  it('queue.json being a directory: the run is recovered from the log, with a warning', async () => {
    const dir = await tempDir();
    const queue = await chain(new FileStore(dir));
    await queue.store.close();
    const { rm } = await import('node:fs/promises');
    await rm(join(dir, 'queue.json'), { force: true });
    await mkdir(join(dir, 'queue.json'));
    const store = new FileStore(dir);
    const stored = await store.open();
    expect(stored!.state.byPosition.map((task) => task.id)).toEqual(['a-1', 'b-2']);
    expect(stored!.warnings).toEqual([`${join(dir, 'queue.json')}: could not be read (EISDIR); recovered the run from audit.jsonl alone`]);
    await store.close();
  });

  it('an agent log keeps the tail of each attempt within its cap, and says it was cut', async () => {
    const dir = await tempDir();
    const file = join(dir, 'logs', 'a-1.log');
    const log = await openAttemptLog(file, { header: '--- attempt 1\n', capBytes: 4096 });
    for (let i = 0; i < 2000; i += 1) log.write(`line ${i} ${'x'.repeat(40)}\n`);
    await log.close();
    const text = await readFile(file, 'utf8');
    expect((await stat(file)).size).toBeLessThanOrEqual(4096 + 200);
    expect(text.startsWith('--- attempt 1\n--- log cut: ')).toBe(true);
    expect(text.endsWith(`line 1999 ${'x'.repeat(40)}\n`)).toBe(true);
    // A second attempt appends after the first and is capped on its own.
    const second = await openAttemptLog(file, { header: '--- attempt 2\n', capBytes: 4096 });
    second.write('short\n');
    await second.close();
    expect(await readFile(file, 'utf8')).toBe(`${text}--- attempt 2\nshort\n`);
  });

  it('an agent that swaps its log for a link mid-attempt cannot make the cap truncate the link\'s target', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'logs'));
    const file = join(dir, 'logs', 'a-1.log');
    const victim = join(dir, 'outside.txt');
    await writeFile(victim, 'precious\n');
    const log = await openAttemptLog(file, { header: '--- attempt 1\n', capBytes: 4096 });
    log.write('before the swap\n');
    // What an agent with write access to the install dir could do: replace the log by a link.
    await rm(file);
    await symlink(victim, file);
    for (let i = 0; i < 2000; i += 1) log.write(`line ${i} ${'x'.repeat(40)}\n`);
    await log.close();
    expect(await readFile(victim, 'utf8')).toBe('precious\n');
  });

  it('a log larger than the heap is streamed: status reads it in a process limited to 48 MB of heap', async () => {
    const dir = await tempDir();
    const file = await open(join(dir, 'audit.jsonl'), 'w');
    const ts = '2026-12-02T00:00:00.000Z';
    await file.write(`${JSON.stringify({ seq: 1, ts, event: 'run-started', runId: 'big', installDir: '/app', detected: { framework: null, packageManager: null } })}\n`);
    const message = `refused: ${'u'.repeat(60_000)}`;
    const lines: string[] = [];
    for (let seq = 2; seq <= 2201; seq += 1) {
      lines.push(`${JSON.stringify({ seq, ts, event: 'guard-tripped', guard: 'unknown-dependency', message, caller: 'x', tool: 'enqueue_task' })}\n`);
      if (lines.length === 100) await file.write(lines.splice(0).join(''));
    }
    await file.close();
    expect((await stat(join(dir, 'audit.jsonl'))).size).toBeGreaterThan(120 * 1024 * 1024);
    const script = `import { FileStore } from ${JSON.stringify(new URL('../dist/index.js', import.meta.url).href)}; const stored = await new FileStore(process.argv[1]).read(); process.stdout.write(String(stored.state.meta.seq));`;
    const result = await new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      const child = spawn(process.execPath, ['--max-old-space-size=48', '--input-type=module', '-e', script, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk) => (out += chunk));
      child.stderr.on('data', (chunk) => (err += chunk));
      child.on('exit', (code) => resolve({ code, out, err }));
    });
    expect(result.err).toBe('');
    expect(result.out).toBe('2201');
    expect(result.code).toBe(0);
  }, 120_000);
});
