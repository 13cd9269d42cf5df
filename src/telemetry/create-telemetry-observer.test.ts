import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { computeVerdict } from '../queue/verdict.js';
import { QueueBuilder } from '../testing/queue-builder.js';
import { createTelemetryObserver } from './create-telemetry-observer.js';
import type { TelemetryEvent } from './telemetry-events.js';

let stateDir: string;
beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'drover-telemetry-'));
});
afterEach(async () => {
  await rm(stateDir, { recursive: true, force: true });
});

const readEvents = async (): Promise<TelemetryEvent[]> =>
  (await readFile(join(stateDir, 'events.jsonl'), 'utf8'))
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as TelemetryEvent);

function startRun(q: QueueBuilder, observer: ReturnType<typeof createTelemetryObserver>, resumed = false): number {
  const startedAt = Date.parse(q.log.at(-1)!.ts);
  observer.onRunStart({ program: 'integrate', runId: q.state.meta.runId, installDir: '/app', stateDir, detected: q.state.meta.detected, resumed, startedAt }, q.state);
  q.subscribe((event, state) => observer.onEvent?.(event, state));
  return startedAt;
}

describe('createTelemetryObserver', () => {
  it('writes every telemetry event to events.jsonl, ending with run finished and the session metrics', async () => {
    const observer = createTelemetryObserver({ stateDir, env: {} });
    expect(observer.posthog).toEqual({ send: false, reason: 'no-key' });
    const q = new QueueBuilder();
    const startedAt = startRun(q, observer);
    const a = q.enqueue({ type: 'plan' });
    q.emit({ event: 'run-seeded', taskCount: 1 });
    q.start(a);
    const b = q.enqueue({ type: 'fix' }, a);
    q.complete(a);
    q.start(b);
    q.requeue(b);
    q.start(b);
    q.complete(b);
    q.emit({ event: 'run-finished', verdict: 'done', failed: [], blocked: [] });
    const endedAt = Date.parse(q.log.at(-1)!.ts);
    observer.onRunEnd({ verdict: computeVerdict(q.state), exitCode: 0, state: q.state, endedAt });
    await observer.close();

    const events = await readEvents();
    expect(events.map((event) => event.event)).toEqual([
      'orchestrator started',
      'orchestrator task enqueued',
      'orchestrator seeded',
      'orchestrator task started',
      'orchestrator task enqueued',
      'orchestrator task completed',
      'orchestrator task started',
      'orchestrator task requeued',
      'orchestrator task started',
      'orchestrator task completed',
      'orchestrator run finished',
    ]);
    const distinctIds = new Set(events.map((event) => event.distinct_id));
    expect(distinctIds.size).toBe(1);
    expect([...distinctIds][0]).toMatch(/^drover-/);
    const firstStart = q.log.find((event) => event.event === 'task-started')!;
    expect(events.at(-1)?.properties).toMatchObject({
      verdict: 'done',
      exit_code: 0,
      tasks_total: 2,
      tasks_done: 2,
      tasks_failed: 0,
      dynamic_enqueue_count: 1,
      retried_task_count: 1,
      total_duration_ms: endedAt - startedAt,
      time_to_first_task_ms: Date.parse(firstStart.ts) - startedAt,
    });
    // Durations come from the attempt's own start, including the requeued attempt's.
    const requeued = events.find((event) => event.event === 'orchestrator task requeued')!;
    const requeuedStart = q.log.filter((event) => event.event === 'task-started' && event.taskId === b)[0]!;
    expect(requeued.properties['duration_ms']).toBe(Date.parse(requeued.timestamp) - Date.parse(requeuedStart.ts));
    const secondStart = events.filter((event) => event.event === 'orchestrator task started')[1]!;
    expect(secondStart.properties['gap_since_prev_start_ms']).toBe(Date.parse(secondStart.timestamp) - Date.parse(firstStart.ts));
  });

  it('metrics() is live: it reads the clock while the run is going', () => {
    let clock = 0;
    const observer = createTelemetryObserver({ stateDir, env: {}, now: () => clock });
    const q = new QueueBuilder();
    const startedAt = startRun(q, observer);
    const a = q.enqueue({ type: 'plan' });
    clock = Date.parse(q.log.at(-1)!.ts) + 30_000;
    expect(observer.metrics()).toMatchObject({ tasks_total: 1, tasks_pending: 1, total_duration_ms: clock - startedAt, max_gap_ms: 30_000, time_to_first_task_ms: null });
    expect(a).toBeDefined();
  });

  it('a resumed session counts the run\'s tasks but only its own activity', async () => {
    const q = new QueueBuilder();
    const a = q.enqueue({ type: 'plan' });
    q.start(a);
    const b = q.enqueue({ type: 'fix' }, a);
    q.complete(a);
    const observer = createTelemetryObserver({ stateDir, env: {} });
    startRun(q, observer, true);
    q.emit({ event: 'run-resumed', runId: 'run-test', interrupted: [] });
    q.start(b);
    q.complete(b);
    observer.onRunEnd({ verdict: computeVerdict(q.state), exitCode: 0, state: q.state, endedAt: Date.parse(q.log.at(-1)!.ts) });
    await observer.close();
    const [started, ...rest] = await readEvents();
    expect(started?.properties).toMatchObject({ resumed: true, task_count: 2 });
    expect(rest.at(-1)?.properties).toMatchObject({ resumed: true, tasks_total: 2, tasks_done: 2, dynamic_enqueue_count: 0 });
  });

  it('emits run finished once and is safe to close twice', async () => {
    const observer = createTelemetryObserver({ stateDir, env: {} });
    const q = new QueueBuilder();
    startRun(q, observer);
    const end = { verdict: computeVerdict(q.state), exitCode: 0, state: q.state, endedAt: Date.parse(q.log.at(-1)!.ts) };
    observer.onRunEnd(end);
    observer.onRunEnd(end);
    await Promise.all([observer.close(), observer.close()]);
    const events = await readEvents();
    expect(events.filter((event) => event.event === 'orchestrator run finished')).toHaveLength(1);
  });

  it("holds live events back while it completes its file from the run's event stream, so the file stays in seq order with each event once", async () => {
    const q = new QueueBuilder();
    const a = q.enqueue({ type: 'plan' });
    q.start(a);
    const b = q.enqueue({ type: 'fix' }, a);
    q.complete(a);
    // The first session wrote nothing (its buffer died with it); the second resumes the run.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const reads: number[] = [];
    const log = [...q.log];
    const events = async function* (after: number) {
      reads.push(after);
      await gate;
      yield* log.filter((event) => event.seq > after);
    };
    const observer = createTelemetryObserver({ stateDir, env: {} });
    const startedAt = Date.parse(q.log.at(-1)!.ts);
    observer.onRunStart({ program: 'integrate', runId: q.state.meta.runId, installDir: '/app', stateDir, detected: q.state.meta.detected, resumed: true, startedAt, events }, q.state);
    q.subscribe((event, state) => observer.onEvent(event, state));
    q.emit({ event: 'run-resumed', runId: q.state.meta.runId, interrupted: [] });
    q.start(b);
    release();
    await observer.close();
    // The stream is read from the start: each missing event is mapped with the state right after it.
    expect(reads).toEqual([0]);
    const written = await readEvents();
    expect(written.map((event) => event.properties['seq'])).toEqual(q.log.map((event) => event.seq));
    expect(written.filter((event) => event.properties['replayed'] === true).map((event) => event.properties['seq'])).toEqual(log.map((event) => event.seq));
    expect(written.find((event) => event.event === 'orchestrator task enqueued' && event.properties['task_id'] === b)?.properties).toMatchObject({ enqueued_by: a, enqueued_by_type: 'plan', replayed: true });
  });

  it('reads no stream when its file already holds every event of the run', async () => {
    const q = new QueueBuilder();
    const first = createTelemetryObserver({ stateDir, env: {} });
    startRun(q, first);
    q.enqueue({ type: 'plan' });
    await first.close();
    const before = await readEvents();
    let read = false;
    const second = createTelemetryObserver({ workspace: { telemetryFile: join(stateDir, 'events.jsonl') }, env: {} });
    second.onRunStart(
      {
        program: 'integrate', runId: q.state.meta.runId, installDir: '/app', stateDir, detected: q.state.meta.detected, resumed: true, startedAt: Date.parse(q.log.at(-1)!.ts),
        // eslint-disable-next-line require-yield
        events: async function* () {
          read = true;
        },
      },
      q.state,
    );
    await second.close();
    expect(read).toBe(false);
    const after = await readEvents();
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.slice(before.length)).toMatchObject([{ event: 'orchestrator started', properties: { resumed: true, seq: q.state.meta.seq + 1 } }]);
  });
});
