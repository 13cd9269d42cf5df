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
   * The run's durable events from the first, read from the audit log (given on resume). An
   * observer that projects the log (telemetry) uses it to complete what a killed process never
   * wrote.
   */
  readonly history?: () => AsyncIterable<QueueEvent>;
}

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
