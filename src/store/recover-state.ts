import { applyEvent } from '../queue/apply-event.js';
import type { QueueEvent } from '../queue/events.js';
import type { Handoff } from '../queue/handoff.js';
import { emptyQueueState, type QueueState } from '../queue/queue-state.js';
import { restoreQueueState, type QueueSnapshot } from '../queue/snapshot.js';

/**
 * Recovery = the latest snapshot + a replay of the log past its `seq`. The log is the source
 * of truth: a snapshot that claims more than the log holds (it raced a crash) is ignored and
 * the whole log is replayed instead. Handoffs come from the log's events too.
 */
export function recoverState(snapshot: QueueSnapshot | undefined, events: readonly QueueEvent[]): QueueState {
  const lastSeq = events.at(-1)?.seq ?? 0;
  const replay = new Replay(snapshot !== undefined && snapshot.seq <= lastSeq ? snapshot : undefined);
  for (const event of events) replay.push(event);
  return replay.finish()!;
}

/**
 * Recovery one event at a time, so the log can be streamed in bounded memory: events up to the
 * snapshot's `seq` only contribute their handoffs; the snapshot is restored at the first event
 * past it, and later events are applied to it. `finish()` returns `undefined` when the log ended
 * before the snapshot's `seq` (the snapshot raced a crash): replay again without the snapshot.
 */
export class Replay {
  readonly #snapshot: QueueSnapshot | undefined;
  readonly #handoffs = new Map<string, Handoff>();
  #state: QueueState | undefined;
  #lastSeq = 0;

  constructor(snapshot: QueueSnapshot | undefined) {
    this.#snapshot = snapshot;
    if (snapshot === undefined) this.#state = emptyQueueState();
  }

  push(event: QueueEvent): void {
    this.#lastSeq = event.seq;
    if (this.#state === undefined) {
      if (event.seq <= this.#snapshot!.seq) {
        if ((event.event === 'task-completed' || event.event === 'task-skipped' || event.event === 'task-failed') && event.handoff !== undefined) this.#handoffs.set(event.handoff.taskId, event.handoff);
        return;
      }
      this.#restore();
    }
    applyEvent(this.#state!, event);
  }

  finish(): QueueState | undefined {
    if (this.#state === undefined && this.#lastSeq === this.#snapshot!.seq) this.#restore();
    return this.#state;
  }

  #restore(): void {
    this.#state = restoreQueueState(this.#snapshot!, this.#handoffs.values());
    this.#handoffs.clear();
  }
}
