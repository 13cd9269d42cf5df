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
  const usable = snapshot !== undefined && snapshot.seq <= lastSeq;
  const state = usable ? restoreQueueState(snapshot, handoffsIn(events, snapshot.seq)) : emptyQueueState();
  const from = usable ? snapshot.seq : 0;
  for (const event of events) if (event.seq > from) applyEvent(state, event);
  return state;
}

/** Handoffs carried by events up to `seq`: the log, not handoffs/, is where they are recovered from. */
function handoffsIn(events: readonly QueueEvent[], seq: number): Handoff[] {
  const out: Handoff[] = [];
  for (const event of events) {
    if (event.seq > seq) break;
    if ((event.event === 'task-completed' || event.event === 'task-skipped' || event.event === 'task-failed') && event.handoff !== undefined) out.push(event.handoff);
  }
  return out;
}
