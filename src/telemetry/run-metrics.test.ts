import { describe, expect, it } from 'vitest';
import type { QueueEvent, QueueEventDraft } from '../queue/events.js';
import type { Task } from '../queue/task.js';
import { QueueBuilder } from '../testing/queue-builder.js';
import { RunMetricsTracker } from './run-metrics.js';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const s = (seconds: number): number => T0 + seconds * 1000;

let seq = 0;
function event(draft: QueueEventDraft, atMs: number): QueueEvent {
  seq += 1;
  return { seq, ts: new Date(atMs).toISOString(), ...draft } as QueueEvent;
}

function task(id: string, enqueuedBy = 'orchestrator'): Task {
  return { id, type: id.replace(/-\d+$/, ''), label: id, status: 'pending', dependsOn: [], inputs: {}, attempts: 0, maxAttempts: 3, enqueuedBy, depth: enqueuedBy === 'orchestrator' ? 0 : 1, optional: false, createdAt: new Date(T0).toISOString() };
}

const handoff = (taskId: string) => ({ taskId, type: 't', status: 'done' as const, goal: 'g', did: 'd', forNextAgent: 'n', completedAt: new Date(T0).toISOString() });

/** Feeds `[secondsSinceT0, draft]` pairs to a tracker begun at T0. */
function track(steps: Array<[number, QueueEventDraft]>): RunMetricsTracker {
  const tracker = new RunMetricsTracker();
  tracker.begin(T0);
  for (const [at, draft] of steps) tracker.observe(event(draft, s(at)), s(at));
  return tracker;
}

describe('RunMetricsTracker timings', () => {
  it('measures from the session start to the first start, the first completion and the end', () => {
    const tracker = track([
      [1, { event: 'task-enqueued', taskId: 'a-1', task: task('a-1') }],
      [4, { event: 'task-started', taskId: 'a-1', attempt: 1 }],
      [6, { event: 'task-skipped', taskId: 'a-1', handoff: handoff('a-1') }],
      [7, { event: 'task-enqueued', taskId: 'b-2', task: task('b-2') }],
      [8, { event: 'task-started', taskId: 'b-2', attempt: 1 }],
      [15, { event: 'task-completed', taskId: 'b-2', handoff: handoff('b-2') }],
    ]);
    tracker.finish(s(16));
    expect(tracker.snapshot(s(99))).toMatchObject({
      total_duration_ms: 16_000,
      time_to_first_task_ms: 4_000,
      // A skip is not a completion: the first completion is b-2's.
      time_to_first_completion_ms: 15_000,
      max_gap_ms: 7_000,
    });
  });

  it('reports null, not 0, for transitions that never happened', () => {
    const tracker = track([[2, { event: 'task-enqueued', taskId: 'a-1', task: task('a-1') }]]);
    const metrics = tracker.snapshot(s(5));
    expect(metrics.time_to_first_task_ms).toBeNull();
    expect(metrics.time_to_first_completion_ms).toBeNull();
    expect(metrics.time_to_seeded_ms).toBeNull();
  });

  it('bounds the gap window by the session start and end: a slow first start and a long tail both count', () => {
    const leadIn = track([
      [9, { event: 'task-started', taskId: 'a-1', attempt: 1 }],
      [10, { event: 'task-completed', taskId: 'a-1', handoff: handoff('a-1') }],
    ]);
    leadIn.finish(s(11));
    expect(leadIn.snapshot(s(11)).max_gap_ms).toBe(9_000);

    const tail = track([
      [1, { event: 'task-started', taskId: 'a-1', attempt: 1 }],
      [2, { event: 'task-completed', taskId: 'a-1', handoff: handoff('a-1') }],
    ]);
    tail.finish(s(30));
    expect(tail.snapshot(s(30)).max_gap_ms).toBe(28_000);
  });

  it('a session without a visible transition was silent throughout', () => {
    const tracker = track([[3, { event: 'run-seeded', taskCount: 0 }]]);
    tracker.finish(s(12));
    const metrics = tracker.snapshot(s(12));
    expect(metrics.max_gap_ms).toBe(12_000);
    expect(metrics.max_gap_ms).toBe(metrics.total_duration_ms);
    expect(metrics.time_to_seeded_ms).toBe(3_000);
  });

  it('guard trips are not visible, so they do not break a silence; requeues are', () => {
    const tracker = track([
      [1, { event: 'task-started', taskId: 'a-1', attempt: 1 }],
      [5, { event: 'guard-tripped', guard: 'max-depth', message: 'm', caller: 'a-1', tool: 'enqueue_task', type: 'x' }],
      [11, { event: 'task-requeued', taskId: 'a-1', error: { kind: 'timeout', message: 'm' } }],
      [12, { event: 'task-started', taskId: 'a-1', attempt: 2 }],
    ]);
    tracker.finish(s(13));
    const metrics = tracker.snapshot(s(13));
    expect(metrics.max_gap_ms).toBe(10_000);
    expect(metrics.guard_trip_count).toBe(1);
    expect(metrics.requeue_count).toBe(1);
  });

  it('while the session runs, the snapshot counts the silence still going on', () => {
    const tracker = track([[2, { event: 'task-started', taskId: 'a-1', attempt: 1 }]]);
    expect(tracker.snapshot(s(5))).toMatchObject({ total_duration_ms: 5_000, max_gap_ms: 3_000 });
    expect(tracker.snapshot(s(20))).toMatchObject({ total_duration_ms: 20_000, max_gap_ms: 18_000 });
    expect(tracker.lastTransitionAtMs).toBe(s(2));
  });

  it('freezes at run-finished; a later finish() does not move the end', () => {
    const tracker = track([
      [2, { event: 'task-started', taskId: 'a-1', attempt: 1 }],
      [3, { event: 'run-finished', verdict: 'done', failed: [], blocked: [] }],
    ]);
    tracker.finish(s(50));
    expect(tracker.snapshot(s(100)).total_duration_ms).toBe(3_000);
  });

  it('events seen before begin() are kept, and an earlier begin() extends the lead-in gap', () => {
    const tracker = new RunMetricsTracker();
    tracker.observe(event({ event: 'task-enqueued', taskId: 'a-1', task: task('a-1') }, s(5)), s(5));
    tracker.begin(s(0));
    tracker.observe(event({ event: 'task-started', taskId: 'a-1', attempt: 1 }, s(6)), s(6));
    tracker.finish(s(7));
    expect(tracker.snapshot(s(7))).toMatchObject({ total_duration_ms: 7_000, time_to_first_task_ms: 6_000, max_gap_ms: 5_000, tasks_total: 1 });
  });

  it('a clock stepping backwards never yields negative numbers', () => {
    const tracker = track([
      [5, { event: 'task-started', taskId: 'a-1', attempt: 1 }],
      [3, { event: 'task-completed', taskId: 'a-1', handoff: handoff('a-1') }],
    ]);
    const metrics = tracker.snapshot(s(6));
    expect(metrics.max_gap_ms).toBe(5_000);
    expect(Object.values(metrics).filter((value) => typeof value === 'number' && value < 0)).toEqual([]);
  });
});

describe('RunMetricsTracker counts', () => {
  it('counts tasks by status, dynamic enqueues and retried tasks (each retried task once)', () => {
    const q = new QueueBuilder();
    const tracker = new RunMetricsTracker();
    const observeNew = (() => {
      let sent = 0;
      return () => {
        for (const e of q.log.slice(sent)) tracker.observe(e, Date.parse(e.ts));
        sent = q.log.length;
      };
    })();
    tracker.begin(Date.parse(q.log[0]!.ts));
    const parent = q.enqueue({ type: 'plan' });
    const sibling = q.enqueue({ type: 'lint' });
    const dependent = q.enqueue({ type: 'after', dependsOn: [sibling] });
    q.start(parent);
    const child = q.enqueue({ type: 'child' }, parent);
    q.complete(parent);
    q.start(child);
    q.requeue(child);
    q.start(child);
    q.requeue(child);
    q.start(child);
    q.complete(child, 'skipped');
    q.start(sibling);
    q.fail(sibling);
    observeNew();

    expect(tracker.snapshot(Date.parse(q.log.at(-1)!.ts))).toMatchObject({
      tasks_total: 4,
      tasks_done: 1,
      tasks_skipped: 1,
      tasks_failed: 1,
      tasks_blocked: 1,
      tasks_pending: 0,
      tasks_running: 0,
      task_start_count: 5,
      dynamic_enqueue_count: 1,
      retried_task_count: 1,
      requeue_count: 2,
    });
    expect(q.state.tasks.get(dependent)?.status).toBe('blocked');
  });

  it('a resumed session takes the run\'s tasks as they stand, but counts only its own activity', () => {
    const tracker = new RunMetricsTracker();
    const done = { ...task('a-1'), status: 'done' as const };
    const running = { ...task('b-2', 'a-1'), status: 'running' as const, attempts: 1 };
    tracker.begin(s(0), { resumed: true, tasks: [done, running] });
    tracker.observe(event({ event: 'run-resumed', runId: 'r', interrupted: ['b-2'] }, s(0)), s(0));
    tracker.observe(event({ event: 'task-requeued', taskId: 'b-2', error: { kind: 'crashed', message: 'm' }, attempts: 0 }, s(0)), s(0));
    tracker.observe(event({ event: 'task-started', taskId: 'b-2', attempt: 1 }, s(2)), s(2));
    tracker.observe(event({ event: 'task-completed', taskId: 'b-2', handoff: handoff('b-2') }, s(3)), s(3));
    expect(tracker.snapshot(s(4))).toMatchObject({
      resumed: true,
      interrupted_task_count: 1,
      tasks_total: 2,
      tasks_done: 2,
      tasks_running: 0,
      // b-2 was enqueued by a task, but in an earlier session: not this session's enqueue.
      dynamic_enqueue_count: 0,
      // The interrupted attempt was given back, so the restart is attempt 1: not a retry.
      retried_task_count: 0,
      time_to_first_task_ms: 2_000,
    });
  });

  it('seeding the same task from the state after its event does not count it twice', () => {
    const tracker = new RunMetricsTracker();
    tracker.observe(event({ event: 'task-enqueued', taskId: 'a-1', task: task('a-1') }, s(1)), s(1));
    tracker.begin(s(0), { tasks: [{ id: 'a-1', status: 'pending' }] });
    expect(tracker.snapshot(s(2))).toMatchObject({ tasks_total: 1, tasks_pending: 1 });
  });
});
