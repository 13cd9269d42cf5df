import { describe, expect, it } from 'vitest';
import { QueueBuilder, TEST_POLICY } from '../testing/queue-builder.js';
import { decideEnqueue, type EnqueuePolicy } from './decide-enqueue.js';
import { seedTaskRequest } from './seed-task.js';

const guardOf = (q: QueueBuilder, request: Parameters<QueueBuilder['enqueue']>[0], by = 'orchestrator', policy: EnqueuePolicy = q.policy) => {
  const decision = decideEnqueue(q.state, { reason: 'test', ...request }, by, policy, q.now());
  return decision.ok ? 'ok' : decision.guard;
};

describe('enqueue guards', () => {
  it('the task keeps its own copy of the inputs, as the journal keeps them: later changes to the caller\'s object do not reach it', () => {
    const q = new QueueBuilder();
    const given = { files: ['a.ts'], when: new Date('2026-12-02T10:00:00.000Z') };
    const decision = decideEnqueue(q.state, { type: 'a', inputs: given }, 'orchestrator', q.policy, q.now());
    given.files.push('b.ts');
    expect(decision.ok && decision.task.inputs).toEqual({ files: ['a.ts'], when: '2026-12-02T10:00:00.000Z' });
  });

  it('a "seed" task without its seeder is refused: it would be the run\'s seed task, which no worker claims without the seeder it names, and the final task would wait for it', () => {
    const q = new QueueBuilder({ ...TEST_POLICY, sinkTypes: new Set(['report']) });
    q.enqueue({ type: 'report' });
    const decision = decideEnqueue(q.state, { type: 'seed', inputs: { table: 'users' } }, 'orchestrator', q.policy, q.now());
    expect(decision).toMatchObject({ ok: false, guard: 'unknown-type' });
    expect(!decision.ok && decision.message).toMatch(/reserved for the run's seed task/);
    // The run's own seed task (seedTaskRequest) names its seeder and is taken.
    expect(decideEnqueue(q.state, seedTaskRequest('integrate', {}), 'orchestrator', q.policy, q.now()).ok).toBe(true);
  });

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

  it('sink-started: a sink that ended says so, not that it started', () => {
    const q = new QueueBuilder();
    const report = q.enqueue({ type: 'report' });
    q.start(report);
    q.complete(report);
    const decision = decideEnqueue(q.state, { type: 'late', reason: 'test' }, 'orchestrator', q.policy, q.now());
    expect(decision).toMatchObject({ ok: false, guard: 'sink-started' });
    expect(!decision.ok && decision.message).toContain('has already ended (done)');
  });

  it('sink-blocked: a sink that never started because a dependency failed is named as blocked, not started', () => {
    const q = new QueueBuilder();
    const worker = q.enqueue({ type: 'a' });
    const report = q.enqueue({ type: 'report', dependsOn: [worker] });
    const other = q.enqueue({ type: 'b' });
    q.start(worker);
    q.fail(worker);
    expect(q.state.tasks.get(report)!.status).toBe('blocked');
    q.start(other);
    const decision = decideEnqueue(q.state, { type: 'late', reason: 'test' }, other, q.policy, q.now());
    expect(decision).toMatchObject({ ok: false, guard: 'sink-blocked' });
    expect(!decision.ok && decision.message).toContain(`${report} will never run`);
    expect(!decision.ok && decision.message).not.toContain('started');
  });

  it('sink-cycle: dependsOn may not name a sink, since the sink would then wait for the new task', () => {
    const q = new QueueBuilder();
    const a = q.enqueue({ type: 'a' });
    const report = q.enqueue({ type: 'report', dependsOn: [a] });
    q.start(a);
    const decision = decideEnqueue(q.state, { type: 'late', reason: 'test', dependsOn: [report] }, a, q.policy, q.now());
    expect(decision).toMatchObject({ ok: false, guard: 'sink-cycle' });
    expect(!decision.ok && decision.message).toContain(`${report}, a final task`);
    expect(!decision.ok && decision.message).toMatch(/never finish/);
    expect(guardOf(q, { type: 'late', dependsOn: [a] }, a)).toBe('ok');
  });

  it('sink-cycle: nor any task downstream of a sink (a second sink that waits for the first)', () => {
    const policy: EnqueuePolicy = { ...TEST_POLICY, sinkTypes: new Set(['report', 'summary']) };
    const q = new QueueBuilder(policy);
    const a = q.enqueue({ type: 'a' });
    const report = q.enqueue({ type: 'report', dependsOn: [a] });
    const summary = q.enqueue({ type: 'summary', dependsOn: [report, a] });
    const decision = decideEnqueue(q.state, { type: 'late', reason: 'test', dependsOn: [a, summary] }, 'orchestrator', policy, q.now());
    expect(decision).toMatchObject({ ok: false, guard: 'sink-cycle' });
    expect(!decision.ok && decision.message).toContain(summary);
  });

  it('sink-cycle: a task that (in an older log) already waits for a sink cannot be named either', () => {
    const q = new QueueBuilder();
    const report = q.enqueue({ type: 'report' });
    // Built event by event, as a log written before this guard existed could hold it.
    const legacy = { id: 'after-9', type: 'after', label: 'after', status: 'pending' as const, dependsOn: [report], inputs: {}, attempts: 0, maxAttempts: 2, enqueuedBy: 'orchestrator', depth: 0, optional: false, createdAt: q.now() };
    q.emit({ event: 'task-enqueued', taskId: legacy.id, task: legacy });
    const decision = decideEnqueue(q.state, { type: 'late', reason: 'test', dependsOn: [legacy.id] }, 'orchestrator', q.policy, q.now());
    expect(decision).toMatchObject({ ok: false, guard: 'sink-cycle' });
    expect(!decision.ok && decision.message).toContain(`after-9, which waits for the final task ${report}`);
  });

  it('inputs-too-large: every enqueue, the orchestrator\'s own seed included, is held to the input limit', () => {
    const q = new QueueBuilder();
    const decision = decideEnqueue(q.state, { type: 'plan', reason: 'test', inputs: { calls: Array.from({ length: 2000 }, (_, i) => `packages/p${i}/src/llm-client.ts:1`) } }, 'orchestrator', q.policy, q.now());
    expect(decision).toMatchObject({ ok: false, guard: 'inputs-too-large' });
    expect(!decision.ok && decision.message).toMatch(/over the limit of 65536\. Put long lists in a file/);
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
