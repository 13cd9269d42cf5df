import { mkdtemp, readFile, appendFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunQueue } from '../src/backend/local/run-queue.js';
import { FileStore } from '../src/store/index.js';
import { TEST_POLICY } from '../src/testing/index.js';
import { describeStoreConformance } from './conformance/store-conformance.js';

const tempDir = () => mkdtemp(join(tmpdir(), 'drover-store-'));

describeStoreConformance('FileStore', tempDir, (dir) => new FileStore(dir));
describeStoreConformance('FileStore (snapshot on every event)', tempDir, (dir) => new FileStore(dir, { snapshotEvery: 1, snapshotIntervalMs: 0 }));

const run = { runId: 'run-file', installDir: '/app', detected: { framework: null, packageManager: null } };

async function runWithTasks(dir: string, count: number): Promise<RunQueue> {
  const store = new FileStore(dir);
  await store.open();
  const queue = await RunQueue.start(store, run, TEST_POLICY);
  for (let i = 0; i < count; i += 1) await queue.enqueue({ type: 'work', inputs: { i }, reason: 'r' }, { kind: 'orchestrator' });
  return queue;
}

describe('FileStore on disk', () => {
  it('writes audit.jsonl with one event per line, seq from 1, and queue.json as valid JSON', async () => {
    const dir = await tempDir();
    const queue = await runWithTasks(dir, 3);
    await queue.close();
    const lines = (await readFile(join(dir, 'audit.jsonl'), 'utf8')).trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(lines.map((event) => event.seq)).toEqual([1, 2, 3, 4]);
    expect(lines.map((event) => event.event)).toEqual(['run-started', 'task-enqueued', 'task-enqueued', 'task-enqueued']);
    const snapshot = JSON.parse(await readFile(join(dir, 'queue.json'), 'utf8'));
    expect(snapshot).toMatchObject({ version: 1, runId: 'run-file', installDir: '/app', seq: 4, status: 'running' });
    expect(snapshot.tasks).toHaveLength(3);
  });

  it('ignores and reports a torn last line, and keeps appending after it cleanly', async () => {
    const dir = await tempDir();
    const queue = await runWithTasks(dir, 2);
    await queue.store.close();
    await appendFile(join(dir, 'audit.jsonl'), '{"seq":4,"ts":"2026-01-01T00:00:00Z","event":"task-enq');
    const store = new FileStore(dir);
    const recovered = await store.open();
    expect(recovered!.warnings).toEqual([expect.stringMatching(/torn last line/)]);
    expect(recovered!.state.meta.seq).toBe(3);
    const resumed = await RunQueue.resume(store, recovered!.state, TEST_POLICY);
    await resumed.close();
    const lines = (await readFile(join(dir, 'audit.jsonl'), 'utf8')).trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(lines.map((event) => event.seq)).toEqual([1, 2, 3, 4]);
    expect(lines.at(-1).event).toBe('run-resumed');
  });

  it('refuses a log damaged in the middle with a clear error naming the file and line', async () => {
    const dir = await tempDir();
    const queue = await runWithTasks(dir, 2);
    await queue.close();
    const file = join(dir, 'audit.jsonl');
    const lines = (await readFile(file, 'utf8')).split('\n');
    lines[1] = '{not json';
    await writeFile(file, lines.join('\n'));
    await expect(new FileStore(dir).open()).rejects.toThrow(/audit\.jsonl: line 2: not a valid audit event/);
  });

  it('runners racing for a stale lock: exactly one gets it, every time (real processes)', async () => {
    const { hostname } = await import('node:os');
    const { spawn } = await import('node:child_process');
    const worker = new URL('./crash/lock-worker.mjs', import.meta.url).pathname;
    for (let round = 0; round < 5; round += 1) {
      const dir = await tempDir();
      await writeFile(join(dir, 'lock'), JSON.stringify({ pid: 2 ** 22 + 999, host: hostname(), startedAt: 'then' }));
      const racers = Array.from({ length: 4 }, () => {
        const child = spawn(process.execPath, [worker, dir], { stdio: ['pipe', 'pipe', 'inherit'] });
        child.stdin.on('error', () => {}); // a racer that answered "locked" has already exited
        let out = '';
        const answered = new Promise<string>((resolve) => {
          child.stdout.on('data', (chunk) => {
            out += chunk;
            if (out.endsWith('\n')) resolve(out.trim());
          });
          child.on('exit', () => resolve(out.trim()));
        });
        const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
        return { child, answered, exited };
      });
      // The holder keeps the lock until every racer has answered; then all are released.
      const outcomes = await Promise.all(racers.map((racer) => racer.answered));
      for (const racer of racers) racer.child.stdin.end();
      await Promise.all(racers.map((racer) => racer.exited));
      expect(outcomes.filter((outcome) => outcome === 'got')).toHaveLength(1);
      expect(outcomes.filter((outcome) => outcome === 'locked')).toHaveLength(3);
    }
  });

  it('a lock left by an earlier boot, or by this pid before this process started, is stale', async () => {
    const { hostname } = await import('node:os');
    for (const stale of [{ pid: process.pid, host: hostname(), startedAt: '2000-01-01T00:00:00.000Z' }, { pid: 1, host: hostname(), boot: 'another-boot', startedAt: 'then' }]) {
      const dir = await tempDir();
      await writeFile(join(dir, 'lock'), JSON.stringify(stale));
      const store = new FileStore(dir);
      await expect(store.open()).resolves.toBeUndefined();
      await store.close();
    }
  });

  it('takes over a stale lock left by a dead process', async () => {
    const dir = await tempDir();
    const { hostname } = await import('node:os');
    await writeFile(join(dir, 'lock'), JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname(), startedAt: 'then' }));
    const store = new FileStore(dir);
    await expect(store.open()).resolves.toBeUndefined();
    const lock = JSON.parse(await readFile(join(dir, 'lock'), 'utf8'));
    expect(lock.pid).toBe(process.pid);
    await store.close();
  });
});
