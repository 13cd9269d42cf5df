import type { GuardTrippedEvent } from '../queue/events.js';
import type { RunEndInfo, RunStartInfo } from '../queue/run-observer.js';
import type { Task } from '../queue/task.js';
import type { RunMetrics } from '../telemetry/run-metrics.js';

/** The latest line of agent activity and the task it came from. */
export interface ActivityLine {
  readonly taskId: string;
  readonly line: string;
}

/**
 * Everything the views draw, built from the `RunObserver` callbacks by `createRunViewRecorder`.
 * `tasks` is the queue's own list in enqueue order (read, never changed): copying 10,000
 * tasks on every event would make a long run quadratic.
 */
export interface RunViewModel {
  readonly run?: RunStartInfo;
  readonly tasks: readonly Task[];
  readonly activity?: ActivityLine;
  /** Notices for the user, oldest first; only the last few are kept. */
  readonly notices: readonly string[];
  readonly guardTrips: number;
  readonly lastGuardTrip?: GuardTrippedEvent;
  /** The user asked to stop (Ctrl-C once); running tasks are being wound down. */
  readonly stopping: boolean;
  readonly end?: RunEndInfo;
  /** The session's metrics at the end, as telemetry's `orchestrator run finished` reports them. */
  readonly metrics?: RunMetrics;
}
