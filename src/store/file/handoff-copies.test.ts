import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StateWriteError } from '../../errors/state-write-error.js';
import { RunQueue } from '../../backend/local/run-queue.js';
import { TEST_POLICY } from '../../testing/queue-builder.js';
import { FileStore } from './file-store.js';
import { nodeHandoffCopyFs, type HandoffCopyFs } from './handoff-copies.js';

const run = { runId: 'run-copies', installDir: '/app', detected: { framework: null, packageManager: null } };
const handoff = { goal: 'g', did: 'd', forNextAgent: 'n' };

/** Opens a store in `dir`, enqueues and completes `count` independent tasks, and returns the queue (still open). */
async function completeTasks(dir: string, count: number, handoffFs?: HandoffCopyFs): Promise<RunQueue> {
  const store = new FileStore(dir, handoffFs === undefined ? {} : { handoffFs });
  await store.open();
  const queue = await RunQueue.start(store, run, TEST_POLICY);
  const ids = await queue.enqueueBatch((add) => Array.from({ length: count }, (_, i) => add({ type: 'work', inputs: { i }, reason: 'r' })));
  for (const id of ids) {
    const attempt = await queue.markStarted(id);
    await queue.complete({ kind: 'task', taskId: id, attempt }, 'done', handoff);
  }
  return queue;
}

describe('handoffs/<id>.json copies', () => {
  it('every finished task has its copy once the store is closed, and readHandoff sees a copy still queued', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'drover-copies-'));
    const queue = await completeTasks(dir, 20);
    // The last copy is queued for the next turn of the event loop; reading it waits for it.
    expect(await queue.store.readHandoff('work-20')).toMatchObject({ taskId: 'work-20', status: 'done', goal: 'g' });
    await queue.close();
    const files = (await readdir(join(dir, 'handoffs'))).sort();
    expect(files).toHaveLength(20);
    expect(files.every((name) => /^work-\d+\.json$/.test(name))).toBe(true);
    expect(JSON.parse(await readFile(join(dir, 'handoffs', 'work-7.json'), 'utf8'))).toMatchObject({ taskId: 'work-7', did: 'd' });
  });

  it('copies still land after the state dir was moved aside (--fresh) by an earlier store in the same process', async () => {
    // A first run in this process checks (and caches) the handoffs/ folder; --fresh then moves it aside.
    const dir = await mkdtemp(join(tmpdir(), 'drover-copies-'));
    await (await completeTasks(dir, 2)).close();
    const store = new FileStore(dir);
    await store.open();
    await store.archive();
    const queue = await RunQueue.start(store, { ...run, runId: 'run-copies-2' }, TEST_POLICY);
    const [id] = await queue.enqueueBatch((add) => [add({ type: 'work', inputs: { i: 'again' }, reason: 'r' })]);
    const attempt = await queue.markStarted(id!);
    await queue.complete({ kind: 'task', taskId: id!, attempt }, 'done', handoff);
    // Before the fix the flush spun forever on ENOENT against a cached "folder checked": this close never returned.
    await queue.close();
    expect(await readdir(join(dir, 'handoffs'))).toEqual([`${id}.json`]);
  });

  it('a copy a crash cut short (created, not yet written) is written again when the run is opened', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'drover-copies-'));
    const queue = await completeTasks(dir, 3);
    await queue.close();
    const file = join(dir, 'handoffs', 'work-2.json');
    const whole = await readFile(file, 'utf8');
    await writeFile(file, '');
    await writeFile(join(dir, 'handoffs', 'work-3.json'), whole.slice(0, 10));
    const store = new FileStore(dir);
    await store.open();
    await store.close();
    expect(await readFile(file, 'utf8')).toBe(whole);
    expect(JSON.parse(await readFile(join(dir, 'handoffs', 'work-3.json'), 'utf8'))).toMatchObject({ taskId: 'work-3' });
    expect((await readdir(join(dir, 'handoffs'))).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('a copy that hits a full disk stops the run at its next append, names the file, and leaves no partial file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'drover-copies-'));
    const full: HandoffCopyFs = {
      ...nodeHandoffCopyFs,
      write: (fd, text) => {
        void fd;
        void text;
        throw Object.assign(new Error('ENOSPC: injected'), { code: 'ENOSPC' });
      },
    };
    const queue = await completeTasks(dir, 1, full);
    await queue.store.readHandoff('work-1'); // waits for the copy to be tried
    const error = await queue.enqueue({ type: 'more', reason: 'r' }, { kind: 'orchestrator' }).then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(StateWriteError);
    expect((error as Error).message).toBe(`${join(dir, 'handoffs', 'work-1.json')}: could not write: no space left on the device (ENOSPC)`);
    expect(await readdir(join(dir, 'handoffs'))).toEqual([]);
    await expect(queue.close()).rejects.toThrow(/work-1\.json/);
    // Recovery writes the copy from the log once the disk has room.
    const store = new FileStore(dir);
    await store.open();
    await store.close();
    expect(await readdir(join(dir, 'handoffs'))).toEqual(['work-1.json']);
  });
});
