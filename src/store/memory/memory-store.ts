import { DroverError } from '../../errors/drover-error.js';
import type { QueueEvent } from '../../queue/events.js';
import type { Handoff } from '../../queue/handoff.js';
import type { QueueState } from '../../queue/queue-state.js';
import { toSnapshot, type QueueSnapshot } from '../../queue/snapshot.js';
import { recoverState } from '../recover-state.js';
import type { Store, StoredRun } from '../store.js';

/** The storage a memory store writes to; share one between stores to simulate a restart. */
export interface MemoryLocation {
  events: QueueEvent[];
  snapshot: QueueSnapshot | undefined;
  handoffs: Map<string, Handoff>;
  archived: Array<{ events: QueueEvent[]; handoffs: Map<string, Handoff> }>;
  locked: boolean;
}

export function memoryLocation(): MemoryLocation {
  return { events: [], snapshot: undefined, handoffs: new Map(), archived: [], locked: false };
}

/**
 * A store that keeps everything in memory, for tests and for library users who do not need
 * durability. Events and snapshots are deep-copied, so later in-place mutation of the live
 * state cannot leak into what was "persisted".
 */
export class MemoryStore implements Store {
  readonly location: MemoryLocation;
  #open = false;

  constructor(location: MemoryLocation = memoryLocation()) {
    this.location = location;
  }

  async open(): Promise<StoredRun | undefined> {
    if (this.location.locked) throw new DroverError('state-locked', 'memory store: the location is in use by another store');
    this.location.locked = true;
    this.#open = true;
    if (this.location.events.length === 0) return undefined;
    const state = recoverState(structuredClone(this.location.snapshot), structuredClone(this.location.events));
    return { state, warnings: [] };
  }

  async append(events: readonly QueueEvent[], state: QueueState): Promise<void> {
    if (!this.#open) throw new DroverError('internal', 'store is not open');
    for (const event of structuredClone(events)) this.location.events.push(event);
    // A snapshot costs O(tasks): taken after at least as many events as there are tasks, it stays O(1) per event.
    const since = this.location.events.length - (this.location.snapshot?.seq ?? 0);
    if (since >= Math.max(64, state.tasks.size) && state.meta.seq === this.location.events.at(-1)?.seq) this.location.snapshot = structuredClone(toSnapshot(state));
  }

  async writeHandoff(handoff: Handoff): Promise<void> {
    this.location.handoffs.set(handoff.taskId, structuredClone(handoff));
  }

  async readHandoff(taskId: string): Promise<Handoff | undefined> {
    const handoff = this.location.handoffs.get(taskId);
    return handoff === undefined ? undefined : structuredClone(handoff);
  }

  async archive(): Promise<string | undefined> {
    if (this.location.events.length === 0) return undefined;
    this.location.archived.push({ events: this.location.events, handoffs: this.location.handoffs });
    this.location.events = [];
    this.location.handoffs = new Map();
    this.location.snapshot = undefined;
    return `memory:archive/${this.location.archived.length}`;
  }

  async close(state?: QueueState): Promise<void> {
    if (!this.#open) return;
    if (state !== undefined && state.meta.seq > 0 && state.meta.seq === this.location.events.at(-1)?.seq) this.location.snapshot = structuredClone(toSnapshot(state));
    this.#open = false;
    this.location.locked = false;
  }
}
