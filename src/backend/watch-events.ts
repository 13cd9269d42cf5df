import type { QueueEvent } from '../queue/events.js';
import type { SignalBoard } from './signal-board.js';

/**
 * Pages through `read` from `after`, then waits on `board` for more, until `signal` aborts.
 * The wait has a fallback timeout, so a lost wake-up delays an event by at most `pollMs`.
 */
export async function* watchEvents(read: (after: number) => Promise<QueueEvent[]>, board: SignalBoard, after: number, signal: AbortSignal, pollMs: number): AsyncGenerator<QueueEvent> {
  let seq = after;
  while (!signal.aborted) {
    // Register interest before reading, so an event committed between the read and the wait still wakes us.
    const stop = new AbortController();
    const onAbort = (): void => stop.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    const changed = board.wait(pollMs, stop.signal);
    try {
      const page = await read(seq);
      if (page.length === 0) await changed;
      else stop.abort();
      for (const event of page) {
        seq = event.seq;
        yield event;
        if (signal.aborted) return;
      }
    } finally {
      stop.abort();
      signal.removeEventListener('abort', onAbort);
    }
  }
}
