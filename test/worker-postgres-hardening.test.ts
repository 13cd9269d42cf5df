import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { PostgresBackend } from '../src/backend/postgres/index.js';
import { openTestBackend, randomSchema, TEST_DATABASE_URL } from './helpers/postgres.js';
import { copyApp, drover, REPO_ROOT, startDrover, type StartedDrover } from './helpers/run-cli.js';
import { TcpProxy } from './helpers/tcp-proxy.js';

/**
 * The CLI side of the PostgreSQL review findings (issue 11): `drover status` and `drover
 * dashboard` only read, `drover worker --run` on a run not seeded yet says what it waits for,
 * and Ctrl-C during a database outage stops the worker at once.
 */
const FAKE_AGENT = join(REPO_ROOT, 'test/agents/fake-agent.mjs');
const agent = ['--agent', 'command', '--agent-cmd', `node ${FAKE_AGENT}`];
const APP = join(REPO_ROOT, 'examples/next-app');
const run = { runId: 'hardening', installDir: '/app', detected: { framework: null, packageManager: null } };

const cleanups: (() => Promise<unknown>)[] = [];
const children: StartedDrover[] = [];
afterEach(async () => {
  for (const started of children.splice(0)) if (started.child.exitCode === null && started.child.signalCode === null) started.child.kill('SIGKILL');
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function schemaExists(schema: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM information_schema.schemata WHERE schema_name = $1', [schema])).rows[0]!.n === 1;
  } finally {
    await client.end();
  }
}

async function store(): Promise<{ url: string; backend: PostgresBackend }> {
  const backend = await openTestBackend(randomSchema(), { reaperIntervalMs: 10 * 60_000 });
  cleanups.push(() => backend.dropSchema());
  return { url: `${TEST_DATABASE_URL}?schema=${backend.schema}`, backend };
}

/** The store `url` reached through a TCP proxy the test can take down (same schema); the proxy is closed after the test. */
async function throughProxy(url: string): Promise<{ proxy: TcpProxy; proxied: URL }> {
  const proxy = new TcpProxy(new URL(TEST_DATABASE_URL));
  await proxy.up();
  cleanups.push(() => proxy.down());
  const proxied = new URL(proxy.url);
  proxied.searchParams.set('schema', new URL(url).searchParams.get('schema')!);
  return { proxy, proxied };
}

describe('drover status and drover dashboard on --store only read', () => {
  it('on a schema drover never created: one line, exit 2, and the database is left as it was', async () => {
    const schema = randomSchema();
    const url = `${TEST_DATABASE_URL}?schema=${schema}`;
    for (const args of [['status', '--store', url], ['status', '--store', url, '--run', 'x', '--json'], ['dashboard', '--store', url]]) {
      const result = await drover(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toBe(`drover: postgres://postgres@127.0.0.1:5432/test?schema=${schema}: no drover schema here (run \`drover run --store\` or \`drover worker\` first)\n`);
    }
    expect(await schemaExists(schema)).toBe(false);
  });

  it('on a run whose worker died (its lease expired), status shows it running and does not give it back', async () => {
    const { url, backend } = await store();
    await backend.createRun(run);
    await backend.enqueue(run.runId, { type: 'work' }, { kind: 'orchestrator' });
    await backend.markSeeded(run.runId);
    await backend.claim({ worker: 'dead', max: 1, leaseMs: -1000, runId: run.runId });
    const shown = await drover(['status', '--store', url, '--run', run.runId, '--json']);
    expect(shown.code).toBe(0);
    expect((JSON.parse(shown.stdout) as { tasks: Array<{ status: string }> }).tasks.map((task) => task.status)).toEqual(['running']);
    // Still expired and still there for a worker's reaper to give back.
    expect(await backend.reapExpiredLeases()).toBe(1);
  });
});

describe('drover worker --run', () => {
  it('on a run not seeded yet says once, on stderr, what it waits for; Ctrl-C stops it (130)', async () => {
    const { url, backend } = await store();
    // An integration run seeded outside the queue (no seed task): drover worker serves it, once seeded.
    await backend.createRun({ ...run, program: 'integrate' });
    const workdir = await copyApp(APP);
    const worker = startDrover(['worker', '--store', url, '--run', run.runId, '--workdir', workdir, '--state-dir', await mkdtemp(join(tmpdir(), 'drover-worker-state-')), ...agent]);
    children.push(worker);
    await worker.stderrMatches(/^drover: run hardening is not seeded yet: waiting for its seed step \(drover run --store\) to finish\n$/);
    await worker.stdoutMatches(/worker .*: working run hardening/);
    worker.child.kill('SIGINT');
    const done = await worker.done;
    expect(done.code).toBe(130);
    expect(done.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('Ctrl-C while the database is unreachable exits 130 at once, not after the retry backoff', { timeout: 120_000 }, async () => {
    const { url } = await store();
    const seeded = await drover(['run', '--install-dir', await copyApp(APP), '--ui', 'plain', '--store', url, '--seed-only', ...agent]);
    expect(seeded.code).toBe(0);
    const runId = /seeded run (\S+):/.exec(seeded.stdout)![1]!;
    const { proxy, proxied } = await throughProxy(url);
    const barrier = await mkdtemp(join(tmpdir(), 'drover-barrier-'));
    const worker = startDrover(['worker', '--store', proxied.href, '--run', runId, '--workdir', await copyApp(APP), '--state-dir', await mkdtemp(join(tmpdir(), 'drover-worker-state-')), ...agent], {
      FAKE_AGENT_BEHAVIOR: JSON.stringify({ '*': 'wait-release' }),
      FAKE_AGENT_BARRIER_DIR: barrier,
    });
    children.push(worker);
    await worker.stdoutMatches(/started \S+ \(\S+\) attempt 1/);
    await proxy.down();
    await worker.stdoutMatches(/database unreachable \(/);
    worker.child.kill('SIGINT');
    const done = await worker.done;
    expect(done.code).toBe(130);
    expect(done.stdout).toMatch(/stopped while the database was unreachable/);
  });
});

describe('drover run --store', () => {
  it('Ctrl-C while the database is unreachable exits 130 at once with one line, as drover worker does', { timeout: 120_000 }, async () => {
    const { url } = await store();
    const { proxy, proxied } = await throughProxy(url);
    const barrier = await mkdtemp(join(tmpdir(), 'drover-barrier-'));
    const session = startDrover(['run', '--install-dir', await copyApp(APP), '--ui', 'plain', '--store', proxied.href, ...agent], {
      FAKE_AGENT_BEHAVIOR: JSON.stringify({ '*': 'wait-release' }),
      FAKE_AGENT_BARRIER_DIR: barrier,
    });
    children.push(session);
    await session.stdoutMatches(/seeded \d+ task/);
    await proxy.down();
    await session.stdoutMatches(/database unreachable \(/);
    session.child.kill('SIGINT');
    const done = await session.done;
    expect(done.code).toBe(130);
    expect(done.stderr).toMatch(/stopped while the database was unreachable/);
  });
});
