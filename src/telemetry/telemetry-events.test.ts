import { describe, expect, it } from 'vitest';
import type { QueueEvent } from '../queue/events.js';
import { computeVerdict } from '../queue/verdict.js';
import { seedTaskRequest } from '../queue/seed-task.js';
import { QueueBuilder } from '../testing/queue-builder.js';
import { RunMetricsTracker } from './run-metrics.js';
import { queueEventToTelemetry, runEndToTelemetry, runStartToTelemetry, TELEMETRY_EVENT_NAMES, type TelemetryEvent } from './telemetry-events.js';

const SECRET = 'sk-live-SECRET-do-not-send';

/** Maps each event as it is emitted, with the state right after it, as the runner would. */
class MappedQueue extends QueueBuilder {
  mapped: TelemetryEvent[] = [];
  override emit(draft: Parameters<QueueBuilder['emit']>[0]): QueueEvent {
    const event = super.emit(draft);
    const out = queueEventToTelemetry(event, this.state, { distinctId: 'anon', appVersion: '1.2.3' }, { msSinceRunStart: 10, gapSincePrevStartMs: null, durationMs: 42 });
    if (out !== null) this.mapped?.push(out);
    return event;
  }
}

const byName = (q: MappedQueue, name: string) => q.mapped.filter((event) => event.event === name);

describe('queueEventToTelemetry', () => {
  it('orchestrator seeded counts and lists the tasks the seed step enqueued, the seed task left out of both', () => {
    const q = new MappedQueue();
    const seed = q.enqueue(seedTaskRequest('integrate', {}));
    q.start(seed);
    q.enqueue({ type: 'instrument' });
    q.enqueue({ type: 'fix' });
    q.complete(seed);
    q.emit({ event: 'run-seeded', taskCount: 2 });
    expect(byName(q, 'orchestrator seeded').map((event) => event.properties)).toMatchObject([{ task_count: 2, types: ['fix', 'instrument'] }]);
  });

  it('maps a task\'s life to the wizard\'s event names with drover\'s and the wizard\'s property names', () => {
    const q = new MappedQueue();
    const id = q.enqueue({ type: 'instrument' });
    q.emit({ event: 'run-seeded', taskCount: 1 });
    q.start(id);
    q.complete(id);
    expect(q.mapped.map((event) => event.event)).toEqual(['orchestrator task enqueued', 'orchestrator seeded', 'orchestrator task started', 'orchestrator task completed']);
    const [enqueued, seeded, started, completed] = q.mapped;
    expect(enqueued).toMatchObject({
      run_id: 'run-test',
      distinct_id: 'anon',
      timestamp: q.log[1]!.ts,
      properties: { task_type: 'instrument', type: 'instrument', task_id: id, enqueued_by: 'orchestrator', enqueued_by_type: 'orchestrator', depth: 0, dynamic: false, optional: false, drover_version: '1.2.3' },
    });
    expect(seeded?.properties).toMatchObject({ task_count: 1, types: ['instrument'] });
    expect(started?.properties).toMatchObject({ task_type: 'instrument', task_id: id, attempt: 1, attempts: 1, ms_since_run_start: 10, gap_since_prev_start_ms: null });
    expect(completed?.properties).toMatchObject({ task_type: 'instrument', task_id: id, attempt: 1, duration_ms: 42 });
  });

  it('marks tasks enqueued by a running task as dynamic, with the parent\'s type and the depth', () => {
    const q = new MappedQueue();
    const parent = q.enqueue({ type: 'plan' });
    q.start(parent);
    const child = q.enqueue({ type: 'fix' }, parent);
    expect(byName(q, 'orchestrator task enqueued').at(-1)?.properties).toMatchObject({ task_id: child, task_type: 'fix', enqueued_by: parent, enqueued_by_type: 'plan', depth: 1, dynamic: true });
  });

  it('a failure carries the error kind; requeues and blocked tasks get their own events', () => {
    const q = new MappedQueue();
    const first = q.enqueue({ type: 'build' });
    const next = q.enqueue({ type: 'deploy', dependsOn: [first] });
    q.start(first);
    q.requeue(first);
    q.start(first);
    q.fail(first);
    expect(byName(q, 'orchestrator task requeued')[0]?.properties).toMatchObject({ task_id: first, attempt: 1, error: 'no-report' });
    expect(byName(q, 'orchestrator task failed')[0]?.properties).toMatchObject({ task_id: first, attempt: 2, error: 'agent-failed', duration_ms: 42 });
    expect(byName(q, 'orchestrator task blocked')[0]?.properties).toMatchObject({ task_id: next, task_type: 'deploy', blocked_by_type: 'build' });
  });

  it('a requeue that gave an interrupted attempt back reports the attempt that ended', () => {
    const q = new MappedQueue();
    const id = q.enqueue({ type: 'build' });
    q.start(id);
    q.emit({ event: 'task-requeued', taskId: id, error: { kind: 'crashed', message: 'x' }, attempts: 0 });
    expect(byName(q, 'orchestrator task requeued')[0]?.properties).toMatchObject({ attempt: 1, error: 'crashed' });
  });

  it('guard trips name the guard, the tool and the types involved, and cut agent-chosen types short', () => {
    const q = new MappedQueue();
    const parent = q.enqueue({ type: 'plan' });
    q.emit({ event: 'guard-tripped', guard: 'unknown-type', message: `no type ${SECRET}`, caller: parent, taskId: parent, tool: 'enqueue_task', type: 'x'.repeat(500) });
    const [tripped] = byName(q, 'orchestrator guard tripped');
    expect(tripped?.properties).toMatchObject({ guard: 'unknown-type', tool: 'enqueue_task', caller_type: 'plan', task_type: 'x'.repeat(64) });
  });

  it('run bookkeeping events have no telemetry event of their own', () => {
    const q = new MappedQueue();
    q.emit({ event: 'run-resumed', runId: 'run-test', interrupted: [] });
    q.emit({ event: 'run-finished', verdict: 'done', failed: [], blocked: [] });
    expect(q.mapped).toEqual([]);
  });

  it('never sends inputs, labels, handoff text, messages or paths', () => {
    const q = new MappedQueue();
    const info = { program: 'integrate', runId: 'run-test', installDir: `/home/${SECRET}/app`, stateDir: `/home/${SECRET}/app/.drover`, detected: { framework: 'nextjs', packageManager: 'pnpm' }, resumed: false, startedAt: Date.parse(q.log[0]!.ts) };
    const started = runStartToTelemetry(info, q.state);
    const a = q.enqueue({ type: 'plan', label: SECRET, inputs: { code: SECRET }, reason: SECRET });
    q.start(a);
    const b = q.enqueue({ type: 'fix', label: SECRET, inputs: { file: `/src/${SECRET}.ts` } }, a);
    q.emit({ event: 'task-completed', taskId: a, handoff: { taskId: a, type: 'plan', status: 'done', goal: SECRET, did: SECRET, forNextAgent: SECRET, filesTouched: [SECRET], evidence: SECRET, assumptions: SECRET, completedAt: q.now() } });
    q.start(b);
    q.emit({ event: 'task-failed', taskId: b, error: { kind: 'crashed', message: SECRET } });
    q.emit({ event: 'guard-tripped', guard: 'invalid-input', message: SECRET, caller: b, tool: 'complete_task' });
    const finished = runEndToTelemetry({ verdict: computeVerdict(q.state), exitCode: 1, state: q.state, endedAt: Date.parse(q.log.at(-1)!.ts) }, new RunMetricsTracker().snapshot(0));
    expect(q.mapped.length).toBeGreaterThanOrEqual(6);
    expect(JSON.stringify([started, ...q.mapped, finished])).not.toContain(SECRET);
  });

  it('every emitted name is one of the documented names', () => {
    const q = new MappedQueue();
    const a = q.enqueue({ type: 'a' });
    q.start(a);
    q.complete(a, 'skipped');
    for (const event of q.mapped) expect(TELEMETRY_EVENT_NAMES).toContain(event.event);
  });

  it('maps the dashboard\'s actions, naming the surface that asked but never its address', () => {
    const q = new MappedQueue();
    const id = q.enqueue({ type: 'build' });
    const next = q.enqueue({ type: 'deploy', dependsOn: [id] });
    q.start(id);
    q.fail(id);
    q.emit({ event: 'task-retried', taskId: id, maxAttempts: 3, unblocked: [next], reopened: false, by: 'dashboard', address: '10.1.2.3' });
    q.start(id);
    q.emit({ event: 'run-cancel-requested', by: 'dashboard', address: '10.1.2.3' });
    expect(byName(q, 'orchestrator task retried')[0]?.properties).toMatchObject({ task_id: id, task_type: 'build', by: 'dashboard', unblocked_count: 1, reopened: false });
    expect(byName(q, 'orchestrator run cancel requested')[0]?.properties).toMatchObject({ by: 'dashboard', running_count: 1 });
    expect(JSON.stringify(q.mapped)).not.toContain('10.1.2.3');
  });
});

describe('run start and end', () => {
  it('orchestrator started says what ran and whether it resumed, with no path', () => {
    const q = new QueueBuilder();
    q.enqueue({ type: 'a' });
    const event = runStartToTelemetry({ program: 'integrate', runId: 'run-test', installDir: '/app', stateDir: '/app/.drover', detected: { framework: 'nextjs', packageManager: 'npm' }, resumed: true, startedAt: Date.parse('2026-02-02T00:00:00.000Z') }, q.state);
    expect(event).toMatchObject({
      event: 'orchestrator started',
      timestamp: '2026-02-02T00:00:00.000Z',
      run_id: 'run-test',
      properties: { program_id: 'integrate', resumed: true, framework: 'nextjs', package_manager: 'npm', task_count: 1 },
    });
    expect(event.distinct_id).toBeUndefined();
  });

  it('orchestrator run finished carries the SPEC\'s metric properties and the verdict', () => {
    const q = new QueueBuilder();
    const only = q.enqueue({ type: 'install' });
    q.start(only);
    q.complete(only);
    const tracker = new RunMetricsTracker();
    const event = runEndToTelemetry({ verdict: computeVerdict(q.state), exitCode: 0, state: q.state, endedAt: 5 }, tracker.snapshot(5), { distinctId: 'anon' });
    for (const key of ['tasks_total', 'tasks_done', 'tasks_failed', 'total_duration_ms', 'time_to_first_task_ms', 'max_gap_ms', 'dynamic_enqueue_count', 'retried_task_count']) {
      expect(event.properties).toHaveProperty(key);
    }
    expect(event.properties).toMatchObject({ verdict: 'done', exit_code: 0 });
    expect(event.distinct_id).toBe('anon');
  });

  it('orchestrator run finished names every task stranded behind a failed dependency: blocked_types and blocked_task_ids', () => {
    const q = new QueueBuilder();
    const init = q.enqueue({ type: 'init' });
    const capture = q.enqueue({ type: 'capture', dependsOn: [init] });
    const report = q.enqueue({ type: 'report', dependsOn: [capture] });
    q.start(init);
    q.fail(init);
    const event = runEndToTelemetry({ verdict: computeVerdict(q.state), exitCode: 1, state: q.state, endedAt: 5 }, new RunMetricsTracker().snapshot(5));
    expect(event.properties).toMatchObject({ verdict: 'failed', blocked_types: ['capture', 'report'], blocked_task_ids: [capture, report], failed_types: ['init'] });
  });
});
