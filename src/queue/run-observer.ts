import type { Detected, QueueEvent } from './events.js';
import type { QueueState } from './queue-state.js';
import type { Verdict } from './verdict.js';

/** What an observer is told when a run (new or resumed) begins. */
export interface RunStartInfo {
  /** The program being run, e.g. `integrate` (the orchestrator) or `fanout-plan`. */
  readonly program: string;
  readonly runId: string;
  readonly installDir: string;
  readonly stateDir: string;
  readonly detected: Detected;
  readonly resumed: boolean;
  /** Milliseconds since the epoch when this process started the run (not the run's first start). */
  readonly startedAt: number;
  /**
   * The run's durable events with `seq > after`, in order, read through the backend port
   * (`RunReader.readEvents`, page by page), whichever backend keeps the run. An observer that
   * projects the events (telemetry) completes from it what a killed process never wrote.
   */
  readonly events?: (after: number) => AsyncIterable<QueueEvent>;
  /** Where the run is kept, for what a person is told at the end (where the handoffs are, how to carry on); unnamed when untold. */
  readonly kept?: RunKeeping;
}

/**
 * Where a run is kept: in its state dir (whose `handoffsDir` holds a file per handoff, and which
 * `drover run --resume` continues), or in a store that workers share (`--store`: the handoffs are
 * in the database, and `drover worker --store URL --run ID` continues the run).
 */
export type RunKeeping = { readonly kind: 'state-dir'; readonly handoffsDir: string } | { readonly kind: 'store' };

export interface RunEndInfo {
  readonly verdict: Verdict | { readonly status: 'interrupted' | 'cancelled'; readonly unfinished: readonly string[]; readonly failed: readonly string[]; readonly blocked: readonly string[] };
  readonly exitCode: number;
  readonly state: QueueState;
  readonly endedAt: number;
}

/**
 * The UI and telemetry plug into a run through this interface only: they are told what
 * happened and never change the run. The core does not import them; the CLI passes them in.
 * A throwing observer is reported and skipped, never fatal.
 */
export interface RunObserver {
  onRunStart?(info: RunStartInfo, state: QueueState): void;
  /** Every durable queue event, in order, with the state after it. */
  onEvent?(event: QueueEvent, state: QueueState): void;
  /** A line of agent activity (not persisted by the queue). */
  onActivity?(taskId: string, line: string): void;
  /** A notice for the user, e.g. "interrupting: press Ctrl-C again to force". */
  onNotice?(message: string): void;
  onRunEnd?(info: RunEndInfo): void;
  /** Flush and release (send buffered telemetry, restore the terminal). Awaited before exit. */
  close?(): Promise<void>;
}
