import type { RunReader } from '../../backend/backend.js';
import { applyEvent } from '../../queue/apply-event.js';
import type { GuardTrippedEvent, QueueEvent } from '../../queue/events.js';
import { emptyQueueState, type QueueState } from '../../queue/queue-state.js';
import { eventTimeMs } from '../../telemetry/event-time-ms.js';
import { RunMetricsTracker } from '../../telemetry/run-metrics.js';
import { buildGraphModel, COLLAPSE_ABOVE, type GraphModel } from '../graph/build-graph-model.js';
import { layoutGraph, type GraphLayout } from '../graph/layout-graph.js';
import { AttemptFold } from '../timeline/attempt-fold.js';

/** Guard trips kept per task (the latest): a runaway agent can make thousands. */
const GUARD_TRIPS_KEPT = 100;
const PAGE = 1000;

export interface RunFigures {
  readonly timeToFirstTaskMs?: number;
  readonly longestGapMs?: number;
  readonly longestGapAt?: string;
}

/**
 * One run as the dashboard shows it, folded from the reader's events (never from a second
 * source, so everything it answers is consistent at `seq`): the queue state (the queue's own
 * `applyEvent`), every attempt, the guard trips by the task that caused them, and the
 * responsiveness figures of the latest session (telemetry's `RunMetricsTracker`, the
 * definition the terminal summary prints). `catchUp()` reads only what is new.
 */
export class RunView {
  readonly runId: string;
  readonly state: QueueState = emptyQueueState();
  readonly attempts = new AttemptFold();
  readonly guardTrips = new Map<string, GuardTrippedEvent[]>();
  #metrics = new RunMetricsTracker();
  #layout: GraphLayout | undefined;
  #busy: Promise<void> = Promise.resolve();
  readonly #reader: RunReader;
  /** How many layouts were computed (a status change must not add one). */
  layouts = 0;

  constructor(reader: RunReader, runId: string) {
    this.#reader = reader;
    this.runId = runId;
  }

  get seq(): number {
    return this.state.meta.seq;
  }

  /** Applies every event committed since the last call. Calls are serialised. */
  catchUp(): Promise<void> {
    const next = this.#busy.then(async () => {
      for (;;) {
        const page = await this.#reader.readEvents(this.runId, this.state.meta.seq, PAGE);
        for (const event of page) this.#observe(event);
        if (page.length < PAGE) return;
      }
    });
    this.#busy = next.catch(() => undefined);
    return next;
  }

  figures(nowMs: number): RunFigures {
    const metrics = this.#metrics.snapshot(nowMs);
    const gapStart = this.#metrics.longestGapStartMs(nowMs);
    if (this.#metrics.startedAtMs === null) return {};
    return {
      ...(metrics.time_to_first_task_ms !== null ? { timeToFirstTaskMs: metrics.time_to_first_task_ms } : {}),
      longestGapMs: metrics.max_gap_ms,
      ...(gapStart !== null ? { longestGapAt: new Date(gapStart).toISOString() } : {}),
    };
  }

  /** The graph model, and its layout: recomputed only when the shape changed. */
  graph(collapseAbove = COLLAPSE_ABOVE): { model: GraphModel; layout: GraphLayout; computed: boolean } {
    const model = buildGraphModel(this.state.byPosition, collapseAbove);
    if (this.#layout?.shape === model.shape) return { model, layout: this.#layout, computed: false };
    this.#layout = layoutGraph(model);
    this.layouts += 1;
    return { model, layout: this.#layout, computed: true };
  }

  #observe(event: QueueEvent): void {
    if (event.seq !== this.state.meta.seq + 1) return;
    applyEvent(this.state, event);
    this.attempts.observe(event);
    const atMs = eventTimeMs(event, Date.now());
    if (event.event === 'run-started' || event.event === 'run-resumed') {
      // Figures are per process session, as the terminal summary shows them.
      this.#metrics = new RunMetricsTracker();
      this.#metrics.begin(atMs, { resumed: event.event === 'run-resumed', tasks: this.state.byPosition });
    }
    this.#metrics.observe(event, atMs);
    if (event.event === 'guard-tripped') {
      const list = this.guardTrips.get(event.caller) ?? [];
      list.push(event);
      if (list.length > GUARD_TRIPS_KEPT) list.shift();
      this.guardTrips.set(event.caller, list);
    }
  }
}
