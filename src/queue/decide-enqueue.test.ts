import { describe, expect, it } from 'vitest';
import { QueueBuilder, TEST_POLICY } from '../testing/queue-builder.js';
import { decideEnqueue, type EnqueuePolicy } from './decide-enqueue.js';

const guardOf = (q: QueueBuilder, request: Parameters<QueueBuilder['enqueue']>[0], by = 'orchestrator', policy: EnqueuePolicy = q.policy) => {
  const decision = decideEnqueue(q.state, { reason: 'test', ...request }, by, policy, q.now());
  return decision.ok ? 'ok' : decision.guard;
};

describe('enqueue guards', () => {
  it('queue-full: refuses once the queue holds maxTasks tasks, with a message for the agent', () => {
    const q = new QueueBuilder({ ...TEST_POLICY, limits: { ...TEST_POLICY.limits, maxTasks: 2 } });
    q.enqueue({ type: 'a' });
    q.enqueue({ type: 'b' });
    const decision = decideEnqueue(q.state, { type: 'c' }, 'orchestrator', q.policy, q.now());
    expect(decision).toMatchObject({ ok: false, guard: 'queue-full' });
    expect(!decision.ok && decision.message).toMatch(/limit is 2/);
  });

  it('unknown-type: lists the valid types', () => {
    const q = new QueueBuilder({ ...TEST_POLICY, taskTypes: new Set(['install', 'init']) });
    const decision = decideEnqueue(q.state, { type: 'deploy' }, 'orchestrator', q.policy, q.now());
    expect(decision).toMatchObject({ ok: false, guard: 'unknown-type' });
    expect(!decision.ok && decision.message).toContain('init, install');
  });

  it('unknown-dependency: names the ids that do not exist', () => {
    const q = new QueueBuilder();
    expect(guardOf(q, { type: 'a', dependsOn: ['nope-1'] })).toBe('unknown-dependency');
  });

  it('max-depth: a chain of children stops at the limit', () => {
    const q = new QueueBuilder({ ...TEST_POLICY, limits: { ...TEST_POLICY.limits, maxDepth: 2 } });
    let parent = q.enqueue({ type: 'level-0' });
    for (let depth = 1; depth <= 2; depth += 1) {
      q.start(parent);
      parent = q.enqueue({ type: `level-${depth}` }, parent);
      expect(q.state.tasks.get(parent)?.depth).toBe(depth);
    }
    q.start(parent);
    expect(guardOf(q, { type: 'level-3' }, parent)).toBe('max-depth');
  });

  it('max-children: one task may enqueue at most maxChildren tasks', () => {
    const q = new QueueBuilder({ ...TEST_POLICY, limits: { ...TEST_POLICY.limits, maxChildren: 3 } });
    const parent = q.enqueue({ type: 'plan' });
    q.start(parent);
    for (let i = 0; i < 3; i += 1) q.enqueue({ type: 'child', inputs: { i } }, parent);
    expect(guardOf(q, { type: 'child', inputs: { i: 99 } }, parent)).toBe('max-children');
  });

  it('duplicate: same type and inputs (any key order) as a live task; allowed again once that task failed', () => {
    const q = new QueueBuilder();
    const first = q.enqueue({ type: 'capture', inputs: { file: 'a.ts', events: ['x', 'y'] } });
    expect(guardOf(q, { type: 'capture', inputs: { events: ['x', 'y'], file: 'a.ts' } })).toBe('duplicate');
    expect(guardOf(q, { type: 'capture', inputs: { file: 'b.ts', events: ['x', 'y'] } })).toBe('ok');
    q.start(first);
    q.fail(first);
    expect(guardOf(q, { type: 'capture', inputs: { events: ['x', 'y'], file: 'a.ts' } })).toBe('ok');
  });

  it('sink-closure: a sink must depend, directly or transitively, on every other task', () => {
    const q = new QueueBuilder();
    const a = q.enqueue({ type: 'a' });
    const b = q.enqueue({ type: 'b', dependsOn: [a] });
    const c = q.enqueue({ type: 'c' });
    const decision = decideEnqueue(q.state, { type: 'report', dependsOn: [b] }, 'orchestrator', q.policy, q.now());
    expect(decision).toMatchObject({ ok: false, guard: 'sink-closure' });
    expect(!decision.ok && decision.message).toContain(c);
    expect(!decision.ok && decision.message).not.toContain(a);
    expect(guardOf(q, { type: 'report', dependsOn: [b, c] })).toBe('ok');
  });

  it('sink-started: nothing can be added once the sink runs', () => {
    const q = new QueueBuilder();
    const report = q.enqueue({ type: 'report' });
    q.start(report);
    expect(guardOf(q, { type: 'late' }, report)).toBe('sink-started');
  });

  it('not-running: only a running task may enqueue', () => {
    const q = new QueueBuilder();
    const idle = q.enqueue({ type: 'a' });
    expect(guardOf(q, { type: 'b' }, idle)).toBe('not-running');
  });

  it('assigns safe, unique ids and records who enqueued', () => {
    const q = new QueueBuilder();
    const parent = q.enqueue({ type: 'Plan Step!' });
    q.start(parent);
    const child = q.enqueue({ type: 'llm-analytics' }, parent);
    expect(parent).toBe('plan-step-1');
    expect(q.state.tasks.get(child)).toMatchObject({ id: 'llm-analytics-2', enqueuedBy: parent, depth: 1 });
  });
});
