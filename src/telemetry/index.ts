export { createTelemetryObserver, type TelemetryObserver, type TelemetryObserverOptions } from './create-telemetry-observer.js';
export { RunMetricsTracker, type RunMetrics, type BeginOptions } from './run-metrics.js';
export {
  TELEMETRY_EVENT_NAMES,
  queueEventToTelemetry,
  runStartToTelemetry,
  runEndToTelemetry,
  type TelemetryEvent,
  type TelemetryEventName,
  type TelemetryProperties,
  type TelemetryValue,
  type TelemetryContext,
  type EventTiming,
} from './telemetry-events.js';
export { createJsonlSink, type JsonlSink, type JsonlSinkOptions } from './jsonl-sink.js';
export { createPostHogSink, type PostHogSink, type PostHogSinkOptions } from './posthog-sink.js';
export { resolvePostHogConfig, DEFAULT_POSTHOG_HOST, type PostHogConfig } from './resolve-posthog-config.js';
export { anonymousDistinctId } from './anonymous-distinct-id.js';
export { eventTimeMs } from './event-time-ms.js';
export { createOtelSpanObserver, type OtelSpanObserver, type OtelSpanObserverOptions } from './otel-spans.js';
