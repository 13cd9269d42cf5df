import { describe, expect, it } from 'vitest';
import { createTimeBudget } from './time-budget.js';

describe('createTimeBudget', () => {
  it('is exhausted once the allowance is spent', async () => {
    let t = 1000;
    const budget = createTimeBudget({ ms: 50, now: () => t });
    expect(budget.exhausted()).toBe(false);
    expect(await budget.pause()).toBe(false);
    t = 1049;
    expect(budget.reason()).toBeNull();
    t = 1050;
    expect(budget.reason()).toBe('time-budget');
    expect(await budget.pause()).toBe(true);
    expect(budget.elapsed()).toBe(50);
  });

  it('reports an abort before the time budget', () => {
    const controller = new AbortController();
    const budget = createTimeBudget({ ms: 1_000_000, signal: controller.signal });
    expect(budget.exhausted()).toBe(false);
    controller.abort();
    expect(budget.reason()).toBe('aborted');
  });

  it('yields to the event loop when it has not for a while', async () => {
    let t = 0;
    const budget = createTimeBudget({ ms: 1000, now: () => t, yieldEveryMs: 5 });
    let ran = false;
    setImmediate(() => {
      ran = true;
    });
    await budget.pause();
    expect(ran).toBe(false);
    t = 10;
    await budget.pause();
    expect(ran).toBe(true);
  });
});
