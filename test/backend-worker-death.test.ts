import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostgresBackend } from '../src/backend/postgres/index.js';
import type { QueueEvent } from '../src/queue/index.js';
import { assertDependenciesFirst } from './conformance/backend-conformance.js';
import { openTestBackend, randomSchema, TEST_DATABASE_URL } from './helpers/postgres.js';

/**
 * Worker-death trials with real processes: three worker processes drain one run from
 * PostgreSQL, and one or two of them are SIGKILLed at a random task start (a fresh worker takes
 * each dead one's place, as an operator's supervisor would). Every task must complete exactly
 * once, none may start before its dependencies completed, no attempt may be charged to a task
 * for a worker's death, and the run must finish: the dead workers' leases are reclaimed by the
 * survivors' reapers. Surviving workers go on to the next trial, so process start-up does not
 * dominate the suite.
 */
const TRIALS = 30;
const WORKERS = 3;
const TASKS = 8;
const LEASE_MS = 500;
const workerScript = fileURLToPath(new URL('./helpers/backend-worker.mjs', import.meta.url));

interface Worker {
  readonly child: ChildProcess;
  /** Resolves once the worker is connected and waiting for run ids. */
  readonly ready: Promise<void>;
  /** Resolves `done` when the worker reports the run drained, `killed` when it was SIGKILLed; rejects on any other exit. */
  drain(runId: string): Promise<'done' | 'killed'>;
}

function startWorker(schema: string, name: string): Worker {
  const child = spawn(process.execPath, [workerScript, TEST_DATABASE_URL, schema, name, String(LEASE_MS)], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const waiting = new Map<string, (result: 'done' | 'killed') => void>();
  const failures = new Set<(error: Error) => void>();
  let onReady!: () => void;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (line === 'ready') onReady();
    if (line.startsWith('done ')) waiting.get(line.slice(5))?.('done');
  });
  child.on('exit', (code, signal) => {
    for (const resolve of waiting.values()) if (signal === 'SIGKILL') resolve('killed');
    if (signal !== 'SIGKILL' && code !== 0) for (const reject of failures) reject(new Error(`worker ${name} exited ${code ?? signal}: ${stderr}`));
  });
  return {
    child,
    ready,
    drain: (runId) =>
      new Promise((resolve, reject) => {
        waiting.set(runId, resolve);
        failures.add(reject);
        child.stdin!.write(`${runId}\n`);
      }),
  };
}

describe('worker-death trials (real processes, SIGKILL, PostgreSQL)', () => {
  let backend: PostgresBackend;
  let workers: Worker[] = [];
  let spares: Worker[] = [];
  beforeAll(async () => {
    if (!existsSync(fileURLToPath(new URL('../dist/backend/postgres/index.js', import.meta.url)))) throw new Error('run `npm run build` first: the worker processes run dist/');
    backend = await openTestBackend(randomSchema(), { reaperIntervalMs: 50, pollMs: 250 });
  });
  afterAll(async () => {
    for (const worker of [...workers, ...spares]) worker.child.kill('SIGKILL');
    await backend.dropSchema();
  });

  it(`${TRIALS} trials: each task completed exactly once, dependencies first, lost leases reclaimed`, { timeout: 300_000 }, async () => {
    let spawned = 0;
    workers = Array.from({ length: WORKERS }, () => startWorker(backend.schema, `w${(spawned += 1)}`));
    // Warm spares replace the dead, so a trial never waits for a process to start; a new spare starts in the background.
    spares = Array.from({ length: 1 }, () => startWorker(backend.schema, `w${(spawned += 1)}`));
    await Promise.all([...workers, ...spares].map((worker) => worker.ready));
    let killed = 0;
    const drains: Promise<'done' | 'killed'>[] = [];
    const runs: Array<{ runId: string; ids: string[] }> = [];
    for (let trial = 0; trial < TRIALS; trial += 1) {
      const runId = `trial-${trial}`;
      const ids = await seed(backend, runId);
      runs.push({ runId, ids });
      // A worker still starting (it replaced a dead one) queues the run id and catches up later.
      drains.push(...workers.map((worker) => worker.drain(runId)));
      const kills = 1 + (trial % 2);
      const killAt = new Set<number>();
      while (killAt.size < kills) killAt.add(1 + Math.floor(Math.random() * TASKS));
      const stop = new AbortController();
      let started = 0;
      const completed = new Set<string>();
      // The trial ends when every task has completed; the events, not the workers, say so.
      for await (const event of backend.watchEvents(runId, 0, stop.signal)) {
        if (event.event === 'task-completed') completed.add(event.taskId);
        if (completed.size === TASKS) stop.abort();
        if (event.event !== 'task-started' || !killAt.has((started += 1))) continue;
        // A random worker, at this random moment of the run; a fresh one takes its place.
        const victim = workers[Math.floor(Math.random() * workers.length)]!;
        victim.child.kill('SIGKILL');
        killed += 1;
        const fresh = spares.shift() ?? startWorker(backend.schema, `w${(spawned += 1)}`);
        spares.push(startWorker(backend.schema, `w${(spawned += 1)}`));
        workers = workers.map((worker) => (worker === victim ? fresh : worker));
        drains.push(fresh.drain(runId));
      }
    }
    // Every worker alive at the end has drained every run it was given (late calls included) and exited cleanly otherwise.
    expect((await Promise.all(drains)).filter((result) => result === 'done').length).toBeGreaterThan(0);
    let reclaimed = 0;
    for (const { runId, ids } of runs) {
      reclaimed += check(await backend.readEvents(runId, 0, 10_000), ids);
      const run = await backend.readRun(runId);
      expect(run!.tasks.map((task) => [task.status, task.attempts])).toEqual(ids.map(() => ['done', 1]));
    }
    expect(killed).toBeGreaterThanOrEqual(TRIALS);
    // Over the trials some kills land mid-attempt; those tasks are given back and done by another worker.
    expect(reclaimed).toBeGreaterThan(0);
  });
});

async function seed(backend: PostgresBackend, runId: string): Promise<string[]> {
  await backend.createRun({ runId, installDir: '/app', detected: { framework: null, packageManager: null } });
  const ids: string[] = [];
  for (let i = 0; i < TASKS; i += 1) {
    // A small fixed DAG: chains and joins, so completions release dependents.
    const dependsOn = ids.filter((_, j) => (i * 7 + j * 3) % 4 === 0).slice(-2);
    const outcome = await backend.enqueue(runId, { type: 'work', inputs: { i }, dependsOn }, { kind: 'orchestrator' });
    if (!outcome.ok) throw new Error(outcome.message);
    ids.push(outcome.value.id);
  }
  await backend.markSeeded(runId);
  return ids;
}

/** Asserts the trial's invariants on its events; returns how many attempts were given back. */
function check(events: readonly QueueEvent[], ids: readonly string[]): number {
  const completions = new Map<string, number>();
  for (const event of events) if (event.event === 'task-completed') completions.set(event.taskId, (completions.get(event.taskId) ?? 0) + 1);
  expect(ids.map((id) => completions.get(id))).toEqual(ids.map(() => 1));
  assertDependenciesFirst(events);
  return events.filter((event) => event.event === 'task-requeued' && event.error.kind === 'interrupted').length;
}
