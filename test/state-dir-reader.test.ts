import { randomUUID } from 'node:crypto';
import { appendFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACT_LOG_TAIL_BYTES } from '../src/backend/backend.js';
import { StateDirReader } from '../src/backend/local/state-dir-reader.js';
import { RunQueue } from '../src/backend/local/run-queue.js';
import { DEFAULT_LIMITS } from '../src/queue/limits.js';
import { FileStore } from '../src/store/file/file-store.js';
import { copyApp, drover, readJsonLines, REPO_ROOT } from './helpers/run-cli.js';

let app: string;
let stateDir: string;
beforeAll(async () => {
  app = await copyApp(join(REPO_ROOT, 'examples', 'next-app'));
  stateDir = join(app, '.drover');
  for (const extra of [[], ['--fresh']]) {
    const result = await drover(['run', '--install-dir', app, '--ui', 'plain', '--no-telemetry', ...extra]);
    expect(result.code, result.stderr).toBe(0);
  }
});
afterAll(async () => {
  await rm(app, { recursive: true, force: true });
});

describe('StateDirReader (read-only, over real state dirs)', () => {
  it('lists the current run and the one --fresh archived, newest first, and reads each from where it lives', async () => {
    await using reader = new StateDirReader(stateDir);
    const runs = await reader.listRuns();
    expect(runs.map((run) => run.location)).toEqual(['current', expect.stringMatching(/^archive\//)]);
    const current = await readJsonLines(join(stateDir, 'audit.jsonl'));
    expect(runs[0]!.runId).toBe(current[0]!['runId']);
    const archived = await readJsonLines(join(stateDir, runs[1]!.location, 'audit.jsonl'));
    expect(await reader.readEvents(runs[1]!.runId, 0)).toEqual(archived);
    expect((await reader.readRun(runs[1]!.runId))?.seq).toBe(archived.length);
    expect(await reader.readRun('no-such-run')).toBeUndefined();
  });

  it('ignores a line still being written and reads it once it is whole; it never changes the log', async () => {
    await using reader = new StateDirReader(stateDir);
    const [run] = await reader.listRuns();
    const audit = join(stateDir, 'audit.jsonl');
    const lines = await readJsonLines(audit);
    const next = JSON.stringify({ seq: lines.length + 1, ts: new Date().toISOString(), event: 'guard-tripped', guard: 'not-allowed', message: 'm', caller: 'orchestrator', tool: 'enqueue_task' });
    await appendFile(audit, next.slice(0, 20));
    expect((await reader.readEvents(run!.runId, 0)).length).toBe(lines.length);
    expect((await readFile(audit, 'utf8')).endsWith(next.slice(0, 20))).toBe(true);
    await appendFile(audit, `${next.slice(20)}\n`);
    expect((await reader.readEvents(run!.runId, lines.length)).map((event) => event.event)).toEqual(['guard-tripped']);
  });

  it('keeps following a run after drover run --fresh moves it to archive/, and never mixes in the new run', async () => {
    await using reader = new StateDirReader(stateDir);
    const before = (await reader.listRuns())[0]!;
    const seqBefore = (await reader.readRun(before.runId))!.seq;
    const result = await drover(['run', '--install-dir', app, '--ui', 'plain', '--no-telemetry', '--fresh']);
    expect(result.code, result.stderr).toBe(0);
    const events = await reader.readEvents(before.runId, 0, 5000);
    expect(events).toHaveLength(seqBefore);
    expect(events.every((event) => event.event !== 'run-started' || event.runId === before.runId)).toBe(true);
    const runs = await reader.listRuns();
    expect(runs).toHaveLength(3);
    expect(runs.find((run) => run.runId === before.runId)?.location).toMatch(/^archive\//);
    expect(runs[0]!.runId).not.toBe(before.runId);
  });

  it('pages through a long log from any seq (past its index points) and bounds a log tail to the last bytes', async () => {
    const other = await copyApp(join(REPO_ROOT, 'examples', 'next-app'));
    try {
      const dir = join(other, '.drover');
      const store = new FileStore(dir);
      await store.open();
      const runId = randomUUID();
      const queue = await RunQueue.start(store, { runId, installDir: other, detected: { framework: null, packageManager: null } }, { limits: { ...DEFAULT_LIMITS, maxTasks: 1000 }, taskTypes: null, sinkTypes: new Set(), defaultMaxAttempts: 2 });
      await queue.enqueueBatch((add) => Array.from({ length: 600 }, (_, i) => add({ type: 'edit', label: `Edit ${i}`, inputs: { i } })));
      await queue.close();
      const all = await readJsonLines(join(dir, 'audit.jsonl'));
      await using reader = new StateDirReader(dir);
      expect(await reader.readEvents(runId, 0, 5000)).toEqual(all);
      expect((await reader.readEvents(runId, 511, 3)).map((event) => event.seq)).toEqual([512, 513, 514]);
      expect((await reader.readEvents(runId, 256, 2)).map((event) => event.seq)).toEqual([257, 258]);
      expect(await reader.readEvents(runId, all.length)).toEqual([]);

      await mkdir(join(dir, 'logs'));
      const log = `${'x'.repeat(ARTIFACT_LOG_TAIL_BYTES)}THE END\n`;
      await writeFile(join(dir, 'logs', 'edit-1.log'), log);
      const tail = await reader.readArtifact(runId, 'edit-1', 'log');
      expect(tail).toHaveLength(ARTIFACT_LOG_TAIL_BYTES);
      expect(tail?.endsWith('THE END\n')).toBe(true);
      expect(await reader.readArtifact(runId, '../../etc/passwd', 'log')).toBeUndefined();
      expect(await reader.readArtifact(runId, 'edit-1', 'prompt')).toBeUndefined();
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });
});
