import type { Handoff } from '../queue/handoff.js';
import type { QueueEvent } from '../queue/events.js';
import type { QueueState } from '../queue/queue-state.js';

/** What `open()` found: the run persisted so far, and anything recovery had to repair. */
export interface StoredRun {
  readonly state: QueueState;
  /** One line each, for the user: e.g. a torn last log line that was ignored. */
  readonly warnings: readonly string[];
}

/**
 * The only place that persists a run. One writer (the executor process) holds it open.
 *
 * Lifecycle: `open()` (takes the lock, recovers) → any number of `append` / `writeHandoff` →
 * `close()` (final snapshot, releases the lock). Every adapter must pass
 * `test/conformance/store-conformance.ts`.
 */
export interface Store {
  /** Takes the lock (throws a `state-locked` DroverError when another live runner holds it) and loads the run, if any. */
  open(): Promise<StoredRun | undefined>;
  /**
   * Makes `events` durable, in order. They have already been applied to `state`; the store may
   * use `state` to write a coalesced snapshot. Resolves only once the events would survive a crash.
   */
  append(events: readonly QueueEvent[], state: QueueState): Promise<void>;
  writeHandoff(handoff: Handoff): Promise<void>;
  readHandoff(taskId: string): Promise<Handoff | undefined>;
  /** Moves the persisted run aside (never deletes it) so a fresh run can start; returns where it went. */
  archive(): Promise<string | undefined>;
  /** Writes a final snapshot of `state` (when given) and releases the lock. Idempotent. */
  close(state?: QueueState): Promise<void>;
}
