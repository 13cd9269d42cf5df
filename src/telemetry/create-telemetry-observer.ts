import { DroverError } from '../errors/drover-error.js';
import type { QueueEvent } from '../queue/events.js';
import type { QueueState } from '../queue/queue-state.js';
import type { RunEndInfo, RunObserver, RunStartInfo } from '../queue/run-observer.js';
import { anonymousDistinctId } from './anonymous-distinct-id.js';
import { eventTimeMs } from './event-time-ms.js';
import { createJsonlSink, type JsonlSink } from './jsonl-sink.js';
import { projectEventGap } from './project-event-gap.js';
import { readProjectedCursor } from './read-projected-cursor.js';
import { createPostHogSink, type PostHogSink } from './posthog-sink.js';
import { resolvePostHogConfig, type PostHogConfig } from './resolve-posthog-config.js';
import { RunMetricsTracker, type RunMetrics } from './run-metrics.js';
import { queueEventToTelemetry, runEndToTelemetry, runStartToTelemetry, type TelemetryContext, type TelemetryEvent } from './telemetry-events.js';
import type { Workspace } from '../workspace/workspace.js';
import { stateDirWorkspace } from '../workspace/state-dir-workspace.js';

export interface TelemetryObserverOptions {
  /**
   * Where the events file is: the run's workspace (its `telemetryFile`). Give this or `stateDir`;
   * the workspace wins when both are given.
   */
  readonly workspace?: Pick<Workspace, 'telemetryFile'>;
  /** The run's state directory: events go to its workspace's file, `<stateDir>/events.jsonl`. */
  readonly stateDir?: string;
  /** Where `DROVER_POSTHOG_KEY`, `DROVER_POSTHOG_HOST` and `DO_NOT_TRACK` are read (default `process.env`). */
  readonly env?: NodeJS.ProcessEnv;
  /** `--no-telemetry`: nothing is sent; `events.jsonl` is still written. */
  readonly noTelemetry?: boolean;
  /** The clock for `metrics()` while the run is live (default `Date.now`). */
  readonly now?: () => number;
  readonly posthogFlushAt?: number;
  readonly posthogFlushIntervalMs?: number;
  /** How long `close()` may wait for PostHog (default 2000 ms). */
  readonly shutdownTimeoutMs?: number;
  /** drover's version, sent as `drover_version`. */
  readonly appVersion?: string;
  /** Overrides the anonymous id derived from the run id. */
  readonly distinctId?: string;
  /** Where the one-line warnings go (default stderr). */
  readonly warn?: (line: string) => void;
}

export interface TelemetryObserver extends RunObserver {
  onRunStart(info: RunStartInfo, state: QueueState): void;
  onEvent(event: QueueEvent, state: QueueState): void;
  onRunEnd(info: RunEndInfo): void;
  close(): Promise<void>;
  /** The session's metrics so far (see `run-metrics.ts`). */
  metrics(): RunMetrics;
  /** Whether events go to PostHog, and if not, why. */
  readonly posthog: PostHogConfig;
}

/**
 * Telemetry for a run: every queue event that has a telemetry event is written to
 * `events.jsonl` (always) and sent to PostHog (when a key is set and the user did not opt out),
 * and `orchestrator run finished` carries the session's metrics. Nothing here awaits I/O on the
 * run's path; `close()` flushes both sinks, bounded by `shutdownTimeoutMs` for the network.
 */
export function createTelemetryObserver(options: TelemetryObserverOptions): TelemetryObserver {
  const now = options.now ?? Date.now;
  const warn = options.warn ?? ((line: string) => console.error(line));
  const posthog = resolvePostHogConfig(options.env ?? process.env, options.noTelemetry ?? false);
  const tracker = new RunMetricsTracker();
  // The attempt start of each running task, for `duration_ms`; a requeue clears `startedAt` from the state.
  const attemptStarts = new Map<string, number>();
  if (options.workspace === undefined && options.stateDir === undefined) throw new DroverError('usage', 'createTelemetryObserver: pass workspace or stateDir (where events.jsonl goes)');
  const eventsFile = (options.workspace ?? stateDirWorkspace(options.stateDir!)).telemetryFile;
  const jsonl: JsonlSink = createJsonlSink(eventsFile, { warn });
  const remote: PostHogSink | undefined = posthog.send
    ? createPostHogSink({
        apiKey: posthog.apiKey,
        host: posthog.host,
        warn,
        ...(options.posthogFlushAt === undefined ? {} : { flushAt: options.posthogFlushAt }),
        ...(options.posthogFlushIntervalMs === undefined ? {} : { flushIntervalMs: options.posthogFlushIntervalMs }),
        ...(options.shutdownTimeoutMs === undefined ? {} : { shutdownTimeoutMs: options.shutdownTimeoutMs }),
      })
    : undefined;
  let context: TelemetryContext | undefined;
  let ended = false;
  let closing: Promise<void> | undefined;

  const contextFor = (runId: string): TelemetryContext =>
    (context ??= {
      distinctId: options.distinctId ?? anonymousDistinctId(runId),
      ...(options.appVersion === undefined ? {} : { appVersion: options.appVersion }),
    });

  // While a resumed run's gap is being projected, live events wait here, so the file stays in seq order.
  let held: TelemetryEvent[] | undefined;
  let catchUp: Promise<void> = Promise.resolve();
  const emit = (event: TelemetryEvent): void => {
    jsonl.write(event);
    remote?.capture(event);
  };
  const publish = (event: TelemetryEvent | null): void => {
    if (event === null || closing !== undefined) return;
    if (held !== undefined) held.push(event);
    else emit(event);
  };

  return {
    posthog,
    onRunStart(info, state) {
      tracker.begin(info.startedAt, { resumed: info.resumed, tasks: state.byPosition });
      const events = info.events;
      const upto = state.meta.seq;
      if (upto > 0 && events !== undefined) {
        // The telemetry file is a projection of the run's event stream: complete what a killed process never wrote,
        // reading the stream through the port from the start (each event is mapped with the state after it).
        held = [];
        catchUp = readProjectedCursor(eventsFile, info.runId)
          .then((cursor) => (cursor >= upto ? [] : projectEventGap(events(0), cursor, upto, info, contextFor(info.runId))))
          .then((replayed) => replayed.forEach(emit))
          .catch((error: unknown) => warn(`drover: telemetry: could not complete events.jsonl from the run's events (${error instanceof Error ? error.message : String(error)})`))
          .finally(() => {
            const live = held ?? [];
            held = undefined;
            live.forEach(emit);
          });
      }
      // Stands for the run-started / run-resumed event this process writes next.
      publish(runStartToTelemetry(info, state, contextFor(info.runId), state.meta.seq + 1));
    },
    onEvent(event, state) {
      const atMs = eventTimeMs(event, now());
      const startedAt = tracker.startedAtMs ?? atMs;
      const previousStart = tracker.lastTaskStartAtMs;
      tracker.observe(event, atMs);
      let durationMs: number | null | undefined;
      if (event.event === 'task-started') attemptStarts.set(event.taskId, atMs);
      else if (event.event === 'task-completed' || event.event === 'task-skipped' || event.event === 'task-failed' || event.event === 'task-requeued') {
        const start = attemptStarts.get(event.taskId);
        attemptStarts.delete(event.taskId);
        durationMs = start === undefined ? null : Math.max(0, atMs - start);
      }
      const timing =
        event.event === 'task-started'
          ? { msSinceRunStart: Math.max(0, atMs - startedAt), gapSincePrevStartMs: previousStart === null ? null : Math.max(0, atMs - previousStart) }
          : { durationMs: durationMs ?? null };
      publish(queueEventToTelemetry(event, state, contextFor(state.meta.runId), timing));
    },
    onRunEnd(info) {
      if (ended) return;
      ended = true;
      tracker.finish(info.endedAt);
      publish(runEndToTelemetry(info, tracker.snapshot(info.endedAt), contextFor(info.state.meta.runId)));
    },
    metrics() {
      return tracker.snapshot(now());
    },
    close() {
      closing ??= catchUp.then(() => Promise.all([jsonl.close(), remote?.close()])).then(() => undefined);
      return closing;
    },
  };
}
