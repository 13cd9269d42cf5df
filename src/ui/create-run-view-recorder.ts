import type { QueueEvent } from '../queue/events.js';
import type { QueueState } from '../queue/queue-state.js';
import type { RunEndInfo, RunStartInfo } from '../queue/run-observer.js';
import { eventTimeMs } from '../telemetry/event-time-ms.js';
import { RunMetricsTracker } from '../telemetry/run-metrics.js';
import type { RunViewModel } from './run-view-model.js';
import { toSingleLine } from './to-single-line.js';

/** Folds the observer callbacks into a `RunViewModel`; every view is drawn from `model()`. */
export interface RunViewRecorder {
  onRunStart(info: RunStartInfo, state: QueueState): void;
  onEvent(event: QueueEvent, state: QueueState): void;
  onActivity(taskId: string, line: string): void;
  onNotice(message: string): void;
  onRunEnd(info: RunEndInfo): void;
  /** Records that the user asked the run to stop. */
  markStopping(): void;
  model(): RunViewModel;
}

const KEPT_NOTICES = 3;

export function createRunViewRecorder(): RunViewRecorder {
  let model: RunViewModel = { tasks: [], notices: [], guardTrips: 0, stopping: false };
  // The same tracker telemetry uses, so the summary's numbers match `orchestrator run finished`.
  const metrics = new RunMetricsTracker();
  return {
    onRunStart(info, state) {
      metrics.begin(info.startedAt, { resumed: info.resumed, tasks: state.byPosition });
      model = { ...model, run: info, tasks: state.byPosition };
    },
    onEvent(event, state) {
      metrics.observe(event, eventTimeMs(event, metrics.lastTransitionAtMs ?? metrics.startedAtMs ?? 0));
      model = {
        ...model,
        tasks: state.byPosition,
        ...(event.event === 'guard-tripped' ? { guardTrips: model.guardTrips + 1, lastGuardTrip: event } : {}),
      };
    },
    onActivity(taskId, line) {
      const text = toSingleLine(line);
      if (text !== '') model = { ...model, activity: { taskId, line: text } };
    },
    onNotice(message) {
      const text = toSingleLine(message);
      if (text !== '') model = { ...model, notices: [...model.notices, text].slice(-KEPT_NOTICES) };
    },
    onRunEnd(info) {
      metrics.finish(info.endedAt);
      model = { ...model, tasks: info.state.byPosition, end: info, metrics: metrics.snapshot(info.endedAt) };
    },
    markStopping() {
      model = { ...model, stopping: true };
    },
    model: () => model,
  };
}
