import { describe, expect, it } from 'vitest';
import { setLongTimeout, sleepLong } from './long-timeout.js';

const HOURS_600 = 600 * 3_600_000;

describe('setLongTimeout', () => {
  it('does not fire a delay past what a Node timer honours early (a plain setTimeout would fire after 1 ms)', async () => {
    let fired = false;
    const cancel = setLongTimeout(() => (fired = true), HOURS_600);
    // Timers fire in order of expiry: a clamped 1 ms timer would fire before this one.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fired).toBe(false);
    cancel();
  });

  it('fires short delays as setTimeout does, and not at all once cancelled', async () => {
    const order: string[] = [];
    setLongTimeout(() => order.push('long-timeout 1ms'), 1);
    const cancel = setLongTimeout(() => order.push('cancelled'), 1);
    cancel();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(order).toEqual(['long-timeout 1ms']);
  });

  it('sleepLong rejects with the reason when aborted', async () => {
    const controller = new AbortController();
    const sleeping = sleepLong(HOURS_600, controller.signal);
    controller.abort(new Error('stop'));
    await expect(sleeping).rejects.toThrow('stop');
  });
});
