import { setImmediate as nextTick } from 'node:timers/promises';

/**
 * A wall-clock allowance shared by the steps of one inspection. The walker and the scanner do
 * their file I/O synchronously (see `read-file-head.ts`), so they call `pause()` between items:
 * it yields to the event loop every few milliseconds, keeping signals, timers and the UI alive,
 * and reports whether the budget is spent or the caller aborted.
 */
export interface TimeBudget {
  /** Milliseconds since the budget was created. */
  elapsed(): number;
  /** True once the allowance is spent or the signal has fired. */
  exhausted(): boolean;
  /** Why `exhausted()` is true, or `null`. */
  reason(): 'time-budget' | 'aborted' | null;
  /** Yields to the event loop if the last yield was more than `yieldEveryMs` ago; resolves to `exhausted()`. */
  pause(): Promise<boolean>;
}

export interface TimeBudgetOptions {
  readonly ms: number;
  readonly signal?: AbortSignal | undefined;
  readonly now?: (() => number) | undefined;
  readonly yieldEveryMs?: number | undefined;
}

export function createTimeBudget(options: TimeBudgetOptions): TimeBudget {
  const now = options.now ?? (() => performance.now());
  const yieldEveryMs = options.yieldEveryMs ?? 8;
  const start = now();
  let lastYield = start;
  const reason = (): 'time-budget' | 'aborted' | null => {
    if (options.signal?.aborted === true) return 'aborted';
    return now() - start >= options.ms ? 'time-budget' : null;
  };
  return {
    elapsed: () => now() - start,
    exhausted: () => reason() !== null,
    reason,
    async pause() {
      const t = now();
      if (t - lastYield >= yieldEveryMs) {
        await nextTick();
        lastYield = now();
      }
      return reason() !== null;
    },
  };
}
