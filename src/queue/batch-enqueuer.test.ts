import { describe, expect, it } from 'vitest';
import { QueueBuilder } from '../testing/queue-builder.js';
import { batchEnqueuer } from './batch-enqueuer.js';

describe('batchEnqueuer', () => {
  it('reuses a live twin whose inputs held a Date: the twin is found by the inputs as the queue keeps them (the ISO string)', () => {
    const q = new QueueBuilder();
    const add = batchEnqueuer(q.state, q.policy, q.now(), (draft) => void q.emit(draft));
    const first = add({ type: 'a', inputs: { when: new Date('2026-12-02T10:00:00.000Z') }, reason: 'r' });
    // A re-seed (or the same request twice in one batch) gets the task already there, not a duplicate refusal.
    expect(add({ type: 'a', inputs: { when: new Date('2026-12-02T10:00:00.000Z') }, reason: 'r' })).toBe(first);
    expect(add({ type: 'a', inputs: { when: '2026-12-02T10:00:00.000Z' }, reason: 'r' })).toBe(first);
    // Two different dates are two tasks, never twins.
    expect(add({ type: 'a', inputs: { when: new Date('2026-12-03T10:00:00.000Z') }, reason: 'r' })).not.toBe(first);
  });
});
