import { describe, expect, it } from 'vitest';
import { QueueBuilder } from '../testing/queue-builder.js';
import { readyTasks, takeReady } from './take-ready.js';
import { ancestors } from './ancestors.js';
import { restoreQueueState, toSnapshot } from './snapshot.js';

const readyIds = (q: QueueBuilder) => readyTasks(q.state).map((task) => task.id);

describe('transitions', () => {
  it('walks a task through pending → running → done and records times, attempts and the handoff', () => {
    const q = new QueueBuilder();
    const id = q.enqueue({ type: 'install' });
    expect(q.state.tasks.get(id)).toMatchObject({ status: 'pending', attempts: 0, enqueuedBy: 'orchestrator', depth: 0 });
    q.start(id);
    expect(q.state.tasks.get(id)).toMatchObject({ status: 'running', attempts: 1 });
    expect(q.state.tasks.get(id)?.startedAt).toBeDefined();
    q.complete(id);
    expect(q.state.tasks.get(id)?.status).toBe('done');
    expect(q.state.tasks.get(id)?.finishedAt).toBeDefined();
    expect(q.state.handoffs.get(id)?.forNextAgent).toBe('n');
    expect(q.state.meta.seq).toBe(q.log.length);
  });

  it('requeue puts a task back to pending, keeps its attempts and clears its times', () => {
    const q = new QueueBuilder();
    const id = q.enqueue({ type: 'install' });
    q.start(id);
    q.requeue(id);
    const task = q.state.tasks.get(id)!;
    expect(task).toMatchObject({ status: 'pending', attempts: 1, error: { kind: 'no-report' } });
    expect(task.startedAt).toBeUndefined();
    expect(readyIds(q)).toEqual([id]);
  });
});

describe('ready set', () => {
  it('holds pending tasks whose dependencies are all done or skipped, in enqueue order', () => {
    const q = new QueueBuilder();
    const a = q.enqueue({ type: 'a' });
    const b = q.enqueue({ type: 'b' });
    const c = q.enqueue({ type: 'c', dependsOn: [a, b] });
    expect(readyIds(q)).toEqual([a, b]);
    q.start(a);
    q.complete(a);
    expect(readyIds(q)).toEqual([b]);
    q.start(b);
    q.complete(b, 'skipped');
    expect(readyIds(q)).toEqual([c]);
  });

  it('an optional task that failed for good satisfies its dependents; a required one blocks them', () => {
    const q = new QueueBuilder();
    const optional = q.enqueue({ type: 'warehouse', optional: true });
    const required = q.enqueue({ type: 'init' });
    const afterOptional = q.enqueue({ type: 'x', dependsOn: [optional] });
    const afterRequired = q.enqueue({ type: 'y', dependsOn: [required] });
    const afterBoth = q.enqueue({ type: 'z', dependsOn: [afterRequired] });
    q.start(optional);
    q.fail(optional);
    q.start(required);
    q.fail(required);
    expect(q.state.tasks.get(afterOptional)?.status).toBe('pending');
    expect(readyIds(q)).toEqual([afterOptional]);
    expect(q.state.tasks.get(afterRequired)).toMatchObject({ status: 'blocked', error: { kind: 'blocked', dependency: required } });
    expect(q.state.tasks.get(afterBoth)).toMatchObject({ status: 'blocked', error: { dependency: afterRequired } });
  });

  it('takeReady hands out each ready task once', () => {
    const q = new QueueBuilder();
    const a = q.enqueue({ type: 'a' });
    const b = q.enqueue({ type: 'b' });
    const first = takeReady(q.state)!;
    q.start(first.id);
    const second = takeReady(q.state)!;
    expect([first.id, second.id]).toEqual([a, b]);
    expect(takeReady(q.state)).toBeUndefined();
  });
});

describe('sinks', () => {
  it('a pending sink also waits for tasks enqueued after it', () => {
    const q = new QueueBuilder();
    const plan = q.enqueue({ type: 'plan' });
    const report = q.enqueue({ type: 'report', dependsOn: [plan] });
    q.start(plan);
    const extra = q.enqueue({ type: 'llm-analytics' }, plan);
    expect(q.state.tasks.get(report)?.dependsOn).toEqual([plan, extra]);
    q.complete(plan);
    expect(readyIds(q)).toEqual([extra]);
    q.start(extra);
    q.complete(extra);
    expect(readyIds(q)).toEqual([report]);
  });
});

describe('ancestors', () => {
  it('lists every transitive dependency once, roots first, diamonds included', () => {
    const q = new QueueBuilder();
    const root = q.enqueue({ type: 'root' });
    const left = q.enqueue({ type: 'left', dependsOn: [root] });
    const right = q.enqueue({ type: 'right', dependsOn: [root] });
    const leaf = q.enqueue({ type: 'leaf', dependsOn: [left, right] });
    expect(ancestors(q.state, leaf).map((task) => task.id)).toEqual([root, left, right]);
    expect(ancestors(q.state, root)).toEqual([]);
  });
});

describe('snapshot', () => {
  it('restores the same tasks, ready set and indices (sink edges added later included)', () => {
    const q = new QueueBuilder();
    const plan = q.enqueue({ type: 'plan' });
    const report = q.enqueue({ type: 'report', dependsOn: [plan] });
    q.start(plan);
    const extra = q.enqueue({ type: 'llm-analytics' }, plan);
    q.complete(plan);
    const restored = restoreQueueState(JSON.parse(JSON.stringify(toSnapshot(q.state))));
    expect(restored.byPosition).toEqual(q.state.byPosition);
    expect(readyTasks(restored).map((task) => task.id)).toEqual([extra]);
    expect(restored.unmet.get(report)).toBe(1);
    expect(restored.children.get(plan)).toBe(1);
  });
});
