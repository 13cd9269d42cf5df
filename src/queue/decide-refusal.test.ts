import { describe, expect, it } from 'vitest';
import { decideRefusal, MAX_GUARD_MESSAGE } from './decide-refusal.js';

describe('decideRefusal', () => {
  it('logs each refusal up to the budget as itself, cut short', () => {
    const long = 'm'.repeat(2000);
    const decision = decideRefusal(3, 3, 'task', 'invalid-input', long, 't'.repeat(100));
    expect(decision).toMatchObject({ guard: 'invalid-input', log: true });
    expect(decision.message).toHaveLength(MAX_GUARD_MESSAGE);
    expect(decision.type).toHaveLength(64);
  });

  it('logs the first refusal past the budget once as refusal-budget, and later ones not at all', () => {
    expect(decideRefusal(4, 3, 'task', 'duplicate', 'x')).toEqual({ guard: 'refusal-budget', log: true, message: 'Too many refused calls: this attempt made 4 (the limit is 3), so it is being stopped as a runaway agent. Stop calling tools.' });
    expect(decideRefusal(5, 3, 'orchestrator', 'duplicate', 'x')).toMatchObject({ guard: 'refusal-budget', log: false, message: expect.stringContaining('this seed step made 5') });
  });
});
