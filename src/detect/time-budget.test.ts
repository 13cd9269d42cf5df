import { describe, expect, it, vi } from 'vitest';
import { createTimeBudget } from './time-budget.js';

describe('createTimeBudget', () => {
  it('is exhausted once the allowance is spent', async () => {
    let t = 1000;
    const budget = createTimeBudget({ ms: 50, now: () => t, wallNow: () => t });
    expect(budget.exhausted()).toBe(false);
    expect(await budget.pause()).toBe(false);
    t = 1049;
    expect(budget.reason()).toBeNull();
    t = 1050;
    expect(budget.reason()).toBe('time-budget');
    expect(await budget.pause()).toBe(true);
    expect(budget.elapsed()).toBe(50);
  });

  it('counts the CPU time the work takes, not the time spent waiting for a busy core, up to a wall-clock ceiling', () => {
    let cpu = 0;
    let wall = 0;
    const budget = createTimeBudget({ ms: 300, now: () => cpu, wallNow: () => wall, wallFactor: 20 });
    // Other processes hold both cores: ten times the allowance passes on the wall clock, little CPU time.
    wall = 3000;
    cpu = 150;
    expect(budget.reason()).toBeNull();
    expect(budget.elapsed()).toBe(3000);
    // A disk so slow that CPU time hardly moves still ends at the ceiling.
    wall = 6000;
    expect(budget.reason()).toBe('time-budget');
  });

  it('by default, time the process spends off the CPU does not count (a thread parked for twice the allowance)', () => {
    const budget = createTimeBudget({ ms: 200 });
    // Parks this thread without using CPU, as a process waiting for a busy core would be.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 400);
    expect(budget.reason()).toBeNull();
  });

  it('by default reads the CPU clock at most once per millisecond of wall clock, not on every check', () => {
    let wall = 0;
    const cpuUsage = vi.spyOn(process, 'cpuUsage');
    try {
      const budget = createTimeBudget({ ms: 1_000_000, wallNow: () => wall });
      const reads = cpuUsage.mock.calls.length;
      for (let i = 0; i < 100; i += 1) budget.reason();
      expect(cpuUsage.mock.calls.length - reads).toBe(0);
      wall = 1;
      budget.reason();
      budget.reason();
      expect(cpuUsage.mock.calls.length - reads).toBe(1);
    } finally {
      cpuUsage.mockRestore();
    }
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
    const budget = createTimeBudget({ ms: 1000, now: () => 0, wallNow: () => t, yieldEveryMs: 5 });
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
