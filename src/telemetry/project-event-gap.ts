import { applyEvent } from '../queue/apply-event.js';
import type { QueueEvent } from '../queue/events.js';
import { emptyQueueState } from '../queue/queue-state.js';
import type { RunStartInfo } from '../queue/run-observer.js';
import { eventTimeMs } from './event-time-ms.js';
import { queueEventToTelemetry, runStartToTelemetry, type TelemetryContext, type TelemetryEvent } from './telemetry-events.js';

/**
 * The telemetry events of the run's events `cursor + 1 … upto` that the telemetry file never
 * received (the process was killed before its buffer was written). `events` is the run's event
 * stream from the first, as the backend port serves it (a state dir's audit log, PostgreSQL's
 * events table); it is folded from the start, so each event is mapped with the state right after
 * it, exactly as the live run would have.
 * Sessions that died show up as `orchestrator started` (from `run-started` / `run-resumed`);
 * a `run-finished` as `orchestrator run finished` without the session's metrics, which died
 * with it. Every replayed event carries `replayed: true`.
 */
export async function projectEventGap(events: AsyncIterable<QueueEvent>, cursor: number, upto: number, info: RunStartInfo, context: TelemetryContext): Promise<TelemetryEvent[]> {
  const state = emptyQueueState();
  const starts = new Map<string, number>();
  const out: TelemetryEvent[] = [];
  for await (const event of events) {
    if (event.seq > upto) break;
    applyEvent(state, event);
    const atMs = eventTimeMs(event, 0);
    let durationMs: number | null = null;
    if (event.event === 'task-started') starts.set(event.taskId, atMs);
    else if (event.event === 'task-completed' || event.event === 'task-skipped' || event.event === 'task-failed' || event.event === 'task-requeued') {
      const start = starts.get(event.taskId);
      starts.delete(event.taskId);
      durationMs = start === undefined ? null : Math.max(0, atMs - start);
    }
    if (event.seq <= cursor) continue;
    const projected =
      event.event === 'run-started' || event.event === 'run-resumed'
        ? runStartToTelemetry({ ...info, resumed: event.event === 'run-resumed', detected: state.meta.detected, startedAt: atMs }, state, context, event.seq)
        : event.event === 'run-finished'
          ? { event: 'orchestrator run finished' as const, properties: { verdict: event.verdict, seq: event.seq, ...(context.appVersion === undefined ? {} : { drover_version: context.appVersion }) }, timestamp: event.ts, ...(context.distinctId === undefined ? {} : { distinct_id: context.distinctId }), run_id: state.meta.runId }
          : queueEventToTelemetry(event, state, context, { durationMs });
    if (projected !== null) out.push({ ...projected, properties: { ...projected.properties, replayed: true } });
  }
  return out;
}
