/**
 * `npm run bench:workers -- [--tasks N] [--workers 1,2,4] [--shape layers|chain] [--url postgres://…]`
 *
 * `--shape chain` makes every task depend on the one before, so each claim waits for a wake-up.
 *
 * Seeds an N-task random DAG with one `enqueueBatch` (one transaction) and drains it (layers about sqrt(N) wide, each task depending on one or two tasks
 * of the layer before) from the PostgreSQL backend with W in-process workers, each its own
 * backend instance (its own pool and LISTEN connection, as separate machines would have) and a
 * no-op agent. Prints JSON: completions/s and dependency-to-claim latency (from the commit of a
 * task's last dependency to the claim that took it) p50/p99 — for claims made by a busy worker
 * (includes queueing behind other ready tasks) and, separately, for claims made by a worker that
 * was idle and woken (the NOTIFY wake-up path) — beside a floor measured in the same
 * run: W connections doing bare single-row INSERT + COMMIT transactions; the latencies beside
 * the bare LISTEN/NOTIFY round trip (commit of a NOTIFY to its arrival on another connection).
 * Then lease-expiry-to-reclaim: a worker claims tasks with a short lease and dies (never
 * heartbeats); the time from each lease's end (database clock) to another worker's claim of the
 * task, beside its floor, the reaper interval (a reaper looks every interval, so p50 ≈ half of
 * it). The machine's load average and core count are printed with the figures, and for each
 * drain the statements sent per completion (each one round trip) and the CPU per completion of
 * the bench process and of the server processes its connections ran on.
 * Each run uses its own schema, dropped after.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { PostgresBackend } from '../src/backend/postgres/index.js';

const { values } = parseArgs({ options: { tasks: { type: 'string', default: '1000' }, workers: { type: 'string', default: '1,2,4' }, url: { type: 'string', default: process.env['DROVER_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test' }, shape: { type: 'string', default: 'layers' } } });
const chain = values.shape === 'chain';
const tasks = Number(values.tasks);
const url = values.url;
const policy = { limits: { maxTasks: tasks, maxDepth: 4, maxChildren: tasks }, taskTypes: null, sinkTypes: new Set<string>(), defaultMaxAttempts: 2 };

let seed = 42;
const random = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;
const round = (n: number): number => Math.round(n * 10) / 10;

/**
 * Statements sent (every `pg` query is one round trip) and the server processes they ran on,
 * counted for the whole process: a drain's statements per completion, and the CPU its server
 * processes used (from /proc, so only when PostgreSQL runs on this machine).
 */
const counter = { statements: 0, pids: new Set<number>() };
const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
pg.Client.prototype.query = function (this: pg.Client & { processID?: number }, ...args: unknown[]) {
  counter.statements += 1;
  if (typeof this.processID === 'number') counter.pids.add(this.processID);
  return query.apply(this, args);
} as typeof pg.Client.prototype.query;
/** CPU time (ms) used so far by the server processes `pids`; those gone count nothing. */
function serverCpuMs(pids: Iterable<number>): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of pids) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      out.set(pid, ((Number(fields[11]) + Number(fields[12])) * 1000) / 100);
    } catch {
      // Not on this machine, or the connection has closed.
    }
  }
  return out;
}

async function drain(workers: number): Promise<Record<string, number>> {
  const schema = `drover_bench_${randomBytes(4).toString('hex')}`;
  const backends = await Promise.all(Array.from({ length: workers }, () => PostgresBackend.open(url, { schema, policy, poolSize: 2, pollMs: 1000 })));
  const main = backends[0]!;
  const runId = 'bench';
  await main.createRun({ runId, installDir: '/bench', detected: { framework: null, packageManager: null } });
  const seedStart = performance.now();
  const width = chain ? 1 : Math.max(1, Math.round(Math.sqrt(tasks)));
  const deps = new Map<string, readonly string[]>();
  await main.enqueueBatch(runId, (add) => {
    let previous: string[] = [];
    let layer: string[] = [];
    for (let i = 0; i < tasks; i += 1) {
      const dependsOn = previous.length === 0 ? [] : chain ? [previous[0]!] : [...new Set([previous[Math.floor(random() * previous.length)]!, previous[Math.floor(random() * previous.length)]!])].slice(0, 1 + Math.floor(random() * 2));
      const id = add({ type: 'work', inputs: { i }, dependsOn });
      deps.set(id, dependsOn);
      layer.push(id);
      if (layer.length === width) {
        previous = layer;
        layer = [];
      }
    }
  });
  await main.markSeeded(runId);
  const seedMs = performance.now() - seedStart;
  const completedAt = new Map<string, number>();
  const latencies: number[] = [];
  const wakeLatencies: number[] = [];
  const statementsBefore = counter.statements;
  const cpuBefore = process.cpuUsage();
  const serverBefore = serverCpuMs(counter.pids);
  const started = performance.now();
  await Promise.all(
    backends.map(async (backend, w) => {
      let waited = false;
      while (completedAt.size < tasks) {
        const claimed = await backend.claim({ runId, worker: `w${w}`, max: 1, leaseMs: 60_000 });
        if (claimed.length === 0) {
          await backend.waitForWork(1000);
          waited = true;
          continue;
        }
        const now = performance.now();
        for (const attempt of claimed) {
          const ready = Math.max(...(deps.get(attempt.taskId) ?? []).map((id) => completedAt.get(id) ?? now));
          if (Number.isFinite(ready)) (waited ? wakeLatencies : latencies).push(now - ready);
          waited = false;
          await backend.complete(attempt, 'done', { goal: 'g', did: 'd', forNextAgent: 'n' });
          completedAt.set(attempt.taskId, performance.now());
          await backend.finishAttempt(attempt, { kind: 'returned' });
        }
      }
    }),
  );
  const drainMs = performance.now() - started;
  const statements = counter.statements - statementsBefore;
  const cpu = process.cpuUsage(cpuBefore);
  let serverMs = 0;
  for (const [pid, ms] of serverCpuMs(counter.pids)) serverMs += ms - (serverBefore.get(pid) ?? 0);
  for (const backend of backends.slice(1)) await backend.close();
  await main.dropSchema();
  latencies.sort((a, b) => a - b);
  wakeLatencies.sort((a, b) => a - b);
  return { workers, idle_wakeups: wakeLatencies.length, idle_dep_to_claim_p50_ms: round(percentile(wakeLatencies, 50)), idle_dep_to_claim_p99_ms: round(percentile(wakeLatencies, 99)), seed_ms: Math.round(seedMs), drain_ms: Math.round(drainMs), completions_per_s: round((tasks * 1000) / drainMs), dep_to_claim_p50_ms: round(percentile(latencies, 50)), dep_to_claim_p99_ms: round(percentile(latencies, 99)), statements_per_completion: round(statements / tasks), client_cpu_ms_per_completion: round((cpu.user + cpu.system) / 1000 / tasks), server_cpu_ms_per_completion: round(serverMs / tasks) };
}

/** The floor: W connections each committing single-row INSERTs as fast as they can, the same number of commits as the drain's completions. */
async function floor(workers: number): Promise<Record<string, number>> {
  const table = `drover_bench_floor_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE TABLE ${table} (id bigserial PRIMARY KEY, body jsonb)`);
  const clients = await Promise.all(
    Array.from({ length: workers }, async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      return client;
    }),
  );
  let left = tasks;
  const started = performance.now();
  await Promise.all(
    clients.map(async (client) => {
      while (left > 0) {
        left -= 1;
        await client.query('BEGIN');
        await client.query(`INSERT INTO ${table} (body) VALUES ($1)`, ['{"event":"task-completed"}']);
        await client.query('COMMIT');
      }
    }),
  );
  const ms = performance.now() - started;
  await Promise.all(clients.map((client) => client.end()));
  await admin.query(`DROP TABLE ${table}`);
  await admin.end();
  return { floor_commits_per_s: round((tasks * 1000) / ms) };
}

/** The latency floor: a NOTIFY committed on one connection, received on another that LISTENs. */
async function notifyFloor(samples = 200): Promise<Record<string, number>> {
  const listener = new pg.Client({ connectionString: url });
  const sender = new pg.Client({ connectionString: url });
  await Promise.all([listener.connect(), sender.connect()]);
  await listener.query('LISTEN drover_bench_floor');
  const latencies: number[] = [];
  for (let i = 0; i < samples; i += 1) {
    const arrived = new Promise<number>((resolve) => listener.once('notification', () => resolve(performance.now())));
    const sent = performance.now();
    await sender.query(`SELECT pg_notify('drover_bench_floor', $1)`, [String(i)]);
    latencies.push((await arrived) - sent);
  }
  await Promise.all([listener.end(), sender.end()]);
  latencies.sort((a, b) => a - b);
  return { notify_floor_p50_ms: round(percentile(latencies, 50)), notify_floor_p99_ms: round(percentile(latencies, 99)) };
}

/** Lease expiry to reclaim: a worker claims `samples` tasks with a short lease and dies; a live worker (default reaper) takes each back. */
async function reclaim(samples = 20, leaseMs = 300, reaperIntervalMs = 1000): Promise<Record<string, number>> {
  const schema = `drover_bench_${randomBytes(4).toString('hex')}`;
  const dying = await PostgresBackend.open(url, { schema, policy, poolSize: 1, reaperIntervalMs: 3_600_000 });
  const alive = await PostgresBackend.open(url, { schema, policy, poolSize: 2, reaperIntervalMs });
  const runId = 'reclaim';
  await dying.createRun({ runId, installDir: '/bench', detected: { framework: null, packageManager: null } });
  const latencies: number[] = [];
  for (let i = 0; i < samples; i += 1) {
    // One task at a time, so the live worker can only take the one whose lease is lost.
    await dying.enqueue(runId, { type: 'work', inputs: { i } }, { kind: 'orchestrator' });
    const [lost] = await dying.claim({ runId, worker: 'dying', max: 1, leaseMs });
    const expiresAt = Date.parse(lost!.leaseExpiresAt);
    for (;;) {
      const [taken] = await alive.claim({ runId, worker: 'alive', max: 1, leaseMs: 60_000 });
      if (taken !== undefined) {
        latencies.push(Date.now() - expiresAt);
        await alive.complete(taken, 'done', { goal: 'g', did: 'd', forNextAgent: 'n' });
        await alive.finishAttempt(taken, { kind: 'returned' });
        break;
      }
      await alive.waitForWork(1000);
    }
  }
  await dying.close();
  await alive.dropSchema();
  latencies.sort((a, b) => a - b);
  return { reclaim_samples: samples, lease_ms: leaseMs, reclaim_p50_ms: round(percentile(latencies, 50)), reclaim_p99_ms: round(percentile(latencies, 99)), reclaim_floor_reaper_interval_ms: reaperIntervalMs };
}

const load = (): string => loadavg().map((n) => n.toFixed(2)).join(' ');
const machine = { cores: availableParallelism(), load_before: load() };
const results = [];
for (const workers of values.workers.split(',').map(Number)) {
  const result = { ...(await drain(workers)), ...(await floor(workers)), load_after: load() };
  // Each result as it is measured (stderr), so a long run that is stopped still leaves its figures.
  process.stderr.write(`${JSON.stringify(result)}\n`);
  results.push(result);
}
const latencyFloor = await notifyFloor();
const leases = await reclaim();
console.log(JSON.stringify({ tasks, shape: chain ? 'chain' : 'layers', machine: { ...machine, load_after: load() }, notify_floor: latencyFloor, lease_reclaim: leases, results }, null, 2));
