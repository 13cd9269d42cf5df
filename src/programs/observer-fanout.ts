import type { QueueEvent } from '../queue/events.js';
import type { QueueState } from '../queue/queue-state.js';
import type { RunEndInfo, RunObserver, RunStartInfo } from '../queue/run-observer.js';

/**
 * Calls every observer, isolating each: an observer that throws (a UI bug, a full disk for
 * telemetry) is reported once and skipped, and never breaks the run.
 */
export class ObserverFanout {
  readonly #observers: readonly RunObserver[];
  readonly #failed = new Set<RunObserver>();
  readonly #warn: (line: string) => void;

  constructor(observers: readonly RunObserver[], warn: (line: string) => void = (line) => process.stderr.write(`${line}\n`)) {
    this.#observers = observers;
    this.#warn = warn;
  }

  runStart(info: RunStartInfo, state: QueueState): void {
    this.#each((observer) => observer.onRunStart?.(info, state));
  }

  event(event: QueueEvent, state: QueueState): void {
    this.#each((observer) => observer.onEvent?.(event, state));
  }

  activity(taskId: string, line: string): void {
    this.#each((observer) => observer.onActivity?.(taskId, line));
  }

  notice(message: string): void {
    this.#each((observer) => observer.onNotice?.(message));
  }

  runEnd(info: RunEndInfo): void {
    this.#each((observer) => observer.onRunEnd?.(info));
  }

  async close(): Promise<void> {
    for (const observer of this.#observers) {
      try {
        await observer.close?.();
      } catch (error) {
        this.#report(observer, error);
      }
    }
  }

  #each(call: (observer: RunObserver) => void): void {
    for (const observer of this.#observers) {
      if (this.#failed.has(observer)) continue;
      try {
        call(observer);
      } catch (error) {
        this.#report(observer, error);
      }
    }
  }

  #report(observer: RunObserver, error: unknown): void {
    if (this.#failed.has(observer)) return;
    this.#failed.add(observer);
    this.#warn(`drover: an observer failed and was switched off: ${error instanceof Error ? error.message : String(error)}`);
  }
}
