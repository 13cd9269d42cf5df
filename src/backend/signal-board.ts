/**
 * Wakes whoever waits for "something changed": a worker waiting for ready work, a watcher
 * waiting for new events. A wait also ends after its timeout (the fallback poll for a lost
 * notification) or when its signal aborts, so nobody waits forever on a missed wake-up.
 */
export class SignalBoard {
  readonly #waiters = new Set<() => void>();

  wait(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted === true) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.#waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      signal?.addEventListener('abort', done, { once: true });
      this.#waiters.add(done);
    });
  }

  wakeAll(): void {
    for (const done of [...this.#waiters]) done();
  }
}
