/**
 * The longest delay a Node timer honours: 2^31 - 1 ms (about 24.8 days). A longer one is
 * clamped to 1 ms, with only a warning, so a 600-hour task timeout would fire at once.
 */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * `setTimeout` for any delay: a delay past `MAX_TIMER_MS` is chained through shorter timers, so
 * it fires when asked, never early. Returns the cancel function. `unref` as on a Node timer.
 */
export function setLongTimeout(callback: () => void, delayMs: number, options: { unref?: boolean } = {}): () => void {
  let timer: NodeJS.Timeout | undefined;
  let cancelled = false;
  const arm = (left: number): void => {
    const step = Math.min(Math.max(0, left), MAX_TIMER_MS);
    timer = setTimeout(() => {
      if (cancelled) return;
      if (left > step) arm(left - step);
      else callback();
    }, step);
    if (options.unref === true) timer.unref();
  };
  arm(delayMs);
  return () => {
    cancelled = true;
    if (timer !== undefined) clearTimeout(timer);
  };
}

/** Resolves after `delayMs` (any length, see `setLongTimeout`); rejects with the signal's reason on abort. */
export function sleepLong(delayMs: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = (): void => {
      cancel();
      reject(signal!.reason as Error);
    };
    const cancel = setLongTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, delayMs);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
