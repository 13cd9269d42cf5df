import { setImmediate as nextTick } from 'node:timers/promises';

/**
 * An allowance shared by the steps of one inspection. The walker and the scanner do their file
 * I/O synchronously (see `read-file-head.ts`), so they call `pause()` between items: it yields
 * to the event loop every few milliseconds, keeping signals, timers and the UI alive, and
 * reports whether the budget is spent or the caller aborted.
 *
 * The allowance is counted in the CPU time this process spends (user + system; the synchronous
 * reads are system time), not on the wall clock: on a machine whose cores are busy with other
 * work, a wall-clock budget ran out after a fraction of the files, so the same small project was
 * explored whole on an idle machine and cut on a busy one. A wall-clock ceiling, `wallFactor`
 * times the allowance, still bounds what CPU time does not count (a slow or remote disk).
 */
export interface TimeBudget {
  /** Wall-clock milliseconds since the budget was created. */
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
  /** The clock the allowance is counted on, in ms (default: this process's CPU time). */
  readonly now?: (() => number) | undefined;
  /** The wall clock, in ms, for `elapsed()`, yields and the ceiling (default: `performance.now`). */
  readonly wallNow?: (() => number) | undefined;
  /** The wall-clock ceiling as a multiple of `ms` (default 20). */
  readonly wallFactor?: number | undefined;
  readonly yieldEveryMs?: number | undefined;
}

/**
 * How often, in wall-clock ms, the default CPU clock is read. `process.cpuUsage()` is a system
 * call (about 1 µs here) and the walker and the scanner ask between every two files (17,000 times
 * on a 10,000-file repository), so it is read again only when this much wall time has passed: the
 * CPU time a process can use in that time is what the budget may overshoot by.
 */
const CPU_READ_EVERY_MS = 1;

/** CPU time (user + system) this process has used, in milliseconds. */
export function processCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

export const DEFAULT_WALL_FACTOR = 20;

export function createTimeBudget(options: TimeBudgetOptions): TimeBudget {
  const wallNow = options.wallNow ?? (() => performance.now());
  const now = options.now ?? throttledCpuClock(wallNow);
  const yieldEveryMs = options.yieldEveryMs ?? 8;
  const wallCeilingMs = options.ms * (options.wallFactor ?? DEFAULT_WALL_FACTOR);
  const start = now();
  const wallStart = wallNow();
  let lastYield = wallStart;
  const reason = (): 'time-budget' | 'aborted' | null => {
    if (options.signal?.aborted === true) return 'aborted';
    return now() - start >= options.ms || wallNow() - wallStart >= wallCeilingMs ? 'time-budget' : null;
  };
  return {
    elapsed: () => wallNow() - wallStart,
    exhausted: () => reason() !== null,
    reason,
    async pause() {
      const t = wallNow();
      if (t - lastYield >= yieldEveryMs) {
        await nextTick();
        lastYield = wallNow();
      }
      return reason() !== null;
    },
  };
}

/** `processCpuMs`, read at most once per `CPU_READ_EVERY_MS` of the wall clock (see there). */
function throttledCpuClock(wallNow: () => number): () => number {
  let readAt = Number.NEGATIVE_INFINITY;
  let cpu = 0;
  return () => {
    const wall = wallNow();
    if (wall - readAt >= CPU_READ_EVERY_MS) {
      cpu = processCpuMs();
      readAt = wall;
    }
    return cpu;
  };
}
