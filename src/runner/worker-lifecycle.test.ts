import { describe, expect, it } from 'vitest';
import { nextWorkerState } from './worker-lifecycle.js';

describe('worker lifecycle', () => {
  it('follows its transition table: run once, stop from anywhere, end only after running', () => {
    expect(nextWorkerState('created', 'run')).toBe('running');
    expect(nextWorkerState('created', 'stop')).toBe('stopped');
    expect(nextWorkerState('running', 'stop')).toBe('stopping');
    expect(nextWorkerState('running', 'ended')).toBe('stopped');
    expect(nextWorkerState('stopping', 'ended')).toBe('stopped');
    expect(nextWorkerState('stopped', 'stop')).toBe('stopped');
    expect(nextWorkerState('running', 'run')).toBeUndefined();
    expect(nextWorkerState('stopped', 'run')).toBeUndefined();
    expect(nextWorkerState('created', 'ended')).toBeUndefined();
  });
});
