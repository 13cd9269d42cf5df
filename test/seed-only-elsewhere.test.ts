import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { functionAgent } from '../src/agents/function-agent.js';
import { loadProgramPrompts } from '../src/programs/prepare-task.js';
import { runSession, type ProgramDefinition } from '../src/programs/run-session.js';
import { openTestBackend, randomSchema, TEST_DATABASE_URL } from './helpers/postgres.js';

const schemas: string[] = [];
const query = pg.Client.prototype.query;
afterEach(async () => {
  pg.Client.prototype.query = query;
  for (const schema of schemas.splice(0)) await (await openTestBackend(schema)).dropSchema();
});

async function sql(text: string, values: unknown[]): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(text, values);
  } finally {
    await client.end();
  }
}

/** Resolves once, after `armed()`, a read-only snapshot (`readRun`) of this process has been read to its end. */
function nextSnapshotRead(): { arm(): void; read: Promise<void> } {
  let armed = false;
  let resolve!: () => void;
  const read = new Promise<void>((done) => (resolve = done));
  const reading = new WeakSet<object>();
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const text = typeof args[0] === 'string' ? args[0] : '';
    if (armed && text.startsWith('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')) reading.add(this);
    const result = (query as (...a: unknown[]) => unknown).apply(this, args);
    if (text === 'COMMIT' && reading.has(this) && result instanceof Promise) void result.then(() => resolve(), () => undefined);
    return result;
  } as typeof query;
  return { arm: () => void (armed = true), read };
}

describe('drover run --store --seed-only', () => {
  it('returns once the run is seeded, also when another worker ran the seed task (its own attempt lost the lease)', async () => {
    const schema = randomSchema();
    schemas.push(schema);
    const installDir = await mkdtemp(join(tmpdir(), 'drover-seed-only-'));
    let runId = '';
    const snapshot = nextSnapshotRead();
    const program: ProgramDefinition = {
      name: 'test-seed',
      prompts: await loadProgramPrompts({ stub: true }),
      detect: async () => ({ framework: null, packageManager: null }),
      async seed(_queue, where) {
        // Another worker takes the seed task over (what a reap and its claim leave: the next attempt, its lease)...
        await sql(`UPDATE ${schema}.tasks SET attempts = attempts + 1, lease_owner = 'elsewhere/1', lease_expires_at = now() + interval '1 hour' WHERE run_id = $1 AND id = 'seed'`, [runId]);
        // ...and this attempt's heartbeat finds its lease lost and stops it: it returns, having seeded nothing.
        await new Promise((resolve) => where.signal!.addEventListener('abort', resolve, { once: true }));
        snapshot.arm();
      },
    };
    const session = runSession(
      {
        installDir,
        agent: functionAgent(async () => {}),
        store: { url: `${TEST_DATABASE_URL}?schema=${schema}`, seedOnly: true, leaseMs: 1500 },
        observers: [{ onRunStart: (info) => void (runId = info.runId) }],
      },
      program,
    );
    // Once this process has looked at the run after its attempt ended (the seed task still running elsewhere), the other
    // worker seeds it: one task for the workers, then the seed task's result (run-seeded).
    await snapshot.read;
    const other = await openTestBackend(schema);
    try {
      await other.enqueue(runId, { type: 'install', inputs: {}, reason: 'r' }, { kind: 'orchestrator' });
      expect(await other.complete({ runId, taskId: 'seed', attempt: 2, worker: 'elsewhere/1' }, 'done', { goal: 'g', did: 'd', forNextAgent: 'f' })).toMatchObject({ ok: true });
    } finally {
      await other.close();
    }
    // Seeded by the other worker, the run waits for drover workers (install-1 pending): this process has returned.
    const result = await session;
    expect(result.exitCode).toBe(0);
    expect(result.state.meta.seeded).toBe(true);
    expect(result.state.tasks.get('install-1')?.status).toBe('pending');
  }, 30_000);
});
