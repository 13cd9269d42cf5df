import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INVALID_SPAN_CONTEXT, trace, type Tracer } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { functionAgent } from '../src/agents/function-agent.js';
import { readEventsAfter } from '../src/backend/read-events-after.js';
import { runIntegrate } from '../src/programs/integrate/run-integrate.js';
import { applyEvent } from '../src/queue/apply-event.js';
import { emptyQueueState } from '../src/queue/queue-state.js';
import { createTelemetryObserver } from '../src/telemetry/create-telemetry-observer.js';
import { createOtelSpanObserver } from '../src/telemetry/otel-spans.js';
import type { TelemetryEvent } from '../src/telemetry/telemetry-events.js';
import { openTestBackend, randomSchema, TEST_DATABASE_URL } from './helpers/postgres.js';
import { copyApp, REPO_ROOT } from './helpers/run-cli.js';

/**
 * Telemetry is a projection of the run's event stream, read through the backend port: a run kept
 * in PostgreSQL (`--store`) gets the telemetry a run in a state dir gets, and a telemetry file
 * that lags the run (its process was killed before its buffer was written) is completed from the
 * events in the database.
 */
const schemas: string[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const schema of schemas.splice(0)) await (await openTestBackend(schema)).dropSchema();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

const readJsonl = async (file: string): Promise<TelemetryEvent[]> =>
  (await readFile(file, 'utf8'))
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as TelemetryEvent);

/**
 * One agent for both runs, the same on every backend: `install` fails its first attempt without
 * a report (a requeue), `init` makes a refused call (a guard trip), `instrument` always throws
 * (a failure for good, which blocks what depends on it); every other task completes.
 */
const agent = functionAgent(async (task, context) => {
  if (task.type === 'install' && context.attempt === 1) return;
  if (task.type === 'instrument') throw new Error('the model is down');
  if (task.type === 'init') expect((await context.tools.enqueue_task({ type: 'Not A Type', reason: 'r' })).ok).toBe(false);
  const done = await context.tools.complete_task({ status: 'done', handoff: { goal: 'g', did: 'd', forNextAgent: 'n' } });
  expect(done.ok).toBe(true);
});

interface SpanRecord {
  readonly name: string;
  readonly attributes: Record<string, unknown>;
  ended: boolean;
}

/** Spans as an OpenTelemetry SDK would receive them: name, attributes (set at start or later), and whether they ended. */
function spanRecorder(): { tracer: Pick<Tracer, 'startSpan'>; spans: SpanRecord[] } {
  const spans: SpanRecord[] = [];
  return {
    spans,
    tracer: {
      startSpan(name, options) {
        const record: SpanRecord = { name, attributes: { ...options?.attributes }, ended: false };
        spans.push(record);
        const span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
        span.setAttribute = (key, value) => ((record.attributes[key] = value), span);
        span.end = () => void (record.ended = true);
        return span;
      },
    },
  };
}

async function telemetryOfRun(store?: { url: string }): Promise<{ lines: TelemetryEvent[]; spans: SpanRecord[] }> {
  const app = await copyApp(join(REPO_ROOT, 'test/fixtures/apps/express-app'));
  dirs.push(app);
  const stateDir = join(app, '.drover');
  const telemetry = createTelemetryObserver({ stateDir, env: {}, appVersion: '1.2.3' });
  const { tracer, spans } = spanRecorder();
  const result = await runIntegrate({ installDir: app, agent, stubPrompts: true, concurrency: 1, observers: [telemetry, createOtelSpanObserver({ tracer })], ...(store !== undefined ? { store } : {}) });
  expect(result.verdict.status).toBe('failed');
  return { lines: await readJsonl(join(stateDir, 'events.jsonl')), spans };
}

/** Spans without the run's id (each run has its own). */
const comparableSpans = (spans: readonly SpanRecord[]): SpanRecord[] => spans.map(({ name, attributes, ended }) => ({ name, attributes: Object.fromEntries(Object.entries(attributes).filter(([key]) => key !== 'drover.run.id')), ended }));

/** What must match across backends: names and properties, without times, ids and the machine. */
function comparable(events: readonly TelemetryEvent[]): Array<{ event: string; properties: Record<string, unknown> }> {
  return events.map(({ event, properties }) => ({
    event,
    properties: Object.fromEntries(Object.entries(properties).filter(([key]) => !/(_ms|_since_run_start)$/.test(key) && key !== 'node_version' && key !== 'os')),
  }));
}

describe('telemetry of a run kept in PostgreSQL', () => {
  it('is the telemetry of the same run in a state dir: every event with the same properties, in seq order (timings and ids aside), and the same spans', { timeout: 120_000 }, async () => {
    const schema = randomSchema();
    schemas.push(schema);
    const file = await telemetryOfRun();
    const postgres = await telemetryOfRun({ url: `${TEST_DATABASE_URL}?schema=${schema}` });
    const [inFile, inPostgres] = [file.lines, postgres.lines];

    const names = inFile.map((event) => event.event);
    // The run exercises what differs most between backends: a requeue, a guard trip, a failure and what it blocks.
    expect(names).toEqual(expect.arrayContaining(['orchestrator task requeued', 'orchestrator guard tripped', 'orchestrator task failed', 'orchestrator task blocked', 'orchestrator run finished']));
    expect(comparable(inPostgres)).toEqual(comparable(inFile));
    // One line per event of the run, in order, each run's lines under its own anonymous id.
    const seqs = inPostgres.map((event) => event.properties.seq as number);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    expect(new Set(inPostgres.map((event) => event.distinct_id)).size).toBe(1);
    expect(inPostgres[0]!.distinct_id).not.toBe(inFile[0]!.distinct_id);
    // OpenTelemetry: a run span and a span per attempt, each ended with its outcome, alike.
    expect(file.spans.map((span) => span.name)).toEqual(expect.arrayContaining(['drover run', 'drover task install']));
    expect(file.spans.every((span) => span.ended)).toBe(true);
    expect(comparableSpans(postgres.spans)).toEqual(comparableSpans(file.spans));
  });

  it('a --store session stopped while the run goes on ends with orchestrator run finished (interrupted) that stands for no event: every seq stays once', { timeout: 60_000 }, async () => {
    const schema = randomSchema();
    schemas.push(schema);
    const app = await copyApp(join(REPO_ROOT, 'test/fixtures/apps/express-app'));
    dirs.push(app);
    const stateDir = join(app, '.drover');
    const telemetry = createTelemetryObserver({ stateDir, env: {} });
    const stop = new AbortController();
    // The first task's agent runs until the session is stopped (Ctrl-C); its attempt is given back, the run stays running.
    const waiting = functionAgent((_task, _context, signal) => new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true })));
    const started = { onEvent: (event: { event: string }) => (event.event === 'task-started' ? stop.abort() : undefined) };
    const result = await runIntegrate({ installDir: app, agent: waiting, stubPrompts: true, concurrency: 1, signal: stop.signal, observers: [telemetry, started], store: { url: `${TEST_DATABASE_URL}?schema=${schema}` } });
    expect(result.verdict.status).toBe('interrupted');
    expect(result.state.meta.status).toBe('running');

    const lines = await readJsonl(join(stateDir, 'events.jsonl'));
    const end = lines.at(-1)!;
    expect(end).toMatchObject({ event: 'orchestrator run finished', properties: { verdict: 'interrupted', exit_code: 130 } });
    expect(end.properties).not.toHaveProperty('seq');
    // Every other line stands for one event of the run, each once, in order (the give-back is the last).
    const seqs = lines.slice(0, -1).map((line) => line.properties.seq as number);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    expect(lines.at(-2)).toMatchObject({ event: 'orchestrator task requeued', properties: { error: 'interrupted', seq: result.state.meta.seq } });
  });

  it("completes a telemetry file that lags the run (a killed process lost its buffer) from the run's events in the database, each missing event once, then goes on live", { timeout: 60_000 }, async () => {
    const schema = randomSchema();
    schemas.push(schema);
    const backend = await openTestBackend(schema);
    const stateDir = await mkdtemp(join(tmpdir(), 'drover-telemetry-pg-'));
    dirs.push(stateDir);
    try {
      const runId = 'telemetry-gap';
      const detected = { framework: 'express', packageManager: 'npm' } as const;
      const orchestrator = { kind: 'orchestrator' } as const;
      await backend.createRun({ runId, installDir: '/app', detected });
      const plan = await backend.enqueue(runId, { type: 'plan', reason: 'r' }, orchestrator);
      const fix = await backend.enqueue(runId, { type: 'fix', reason: 'r', dependsOn: [plan.ok ? plan.value.id : ''] }, orchestrator);
      expect(fix.ok).toBe(true);
      await backend.markSeeded(runId);
      for (;;) {
        const [claimed] = await backend.claim({ worker: 'w', max: 1, leaseMs: 60_000, runId });
        if (claimed === undefined) break;
        await backend.complete(claimed, 'done', { goal: 'g', did: 'd', forNextAgent: 'n' });
        await backend.finishAttempt(claimed, { kind: 'returned' });
      }
      const events = await backend.readEvents(runId, 0);
      const upto = events.at(-1)!.seq;
      const cut = 4;
      expect(upto).toBeGreaterThan(cut + 2);

      // The first process saw the run's first `cut` events, wrote them, and died.
      const first = createTelemetryObserver({ stateDir, env: {} });
      const state = emptyQueueState();
      const info = { program: 'integrate', runId, installDir: '/app', stateDir, detected, resumed: false, startedAt: Date.parse(events[0]!.ts) };
      first.onRunStart(info, state);
      for (const event of events.slice(0, cut)) {
        applyEvent(state, event);
        first.onEvent(event, state);
      }
      await first.close();

      // The next process starts on the whole run, with the stream from the port to complete the file from.
      for (const event of events.slice(cut)) applyEvent(state, event);
      const next = createTelemetryObserver({ stateDir, env: {} });
      next.onRunStart({ ...info, resumed: true, startedAt: Date.now(), events: (after) => readEventsAfter(backend, runId, after) }, state);
      await next.close();

      const lines = await readJsonl(join(stateDir, 'events.jsonl'));
      const seqs = lines.map((line) => line.properties.seq);
      // 1 … upto, each once, then the new session's `orchestrator started` (it stands for the event it writes next).
      expect(seqs).toEqual([...events.map((event) => event.seq), upto + 1]);
      expect(lines.filter((line) => line.properties.replayed === true).map((line) => line.properties.seq)).toEqual(events.slice(cut).map((event) => event.seq));
      expect(lines.map((line) => line.event)).toEqual(expect.arrayContaining(['orchestrator seeded', 'orchestrator task completed']));
      expect(lines.at(-1)).toMatchObject({ event: 'orchestrator started', properties: { resumed: true } });
    } finally {
      await backend.close();
    }
  });
});
