import { context, SpanStatusCode, trace, type Span, type Tracer } from '@opentelemetry/api';
import type { QueueEvent } from '../queue/events.js';
import type { QueueState } from '../queue/queue-state.js';
import type { RunEndInfo, RunObserver, RunStartInfo } from '../queue/run-observer.js';
import { eventTimeMs } from './event-time-ms.js';

export interface OtelSpanObserverOptions {
  /** Default: `trace.getTracer('drover')`, a no-op until the application registers an OpenTelemetry SDK. */
  readonly tracer?: Pick<Tracer, 'startSpan'>;
}

export interface OtelSpanObserver extends RunObserver {
  onRunStart(info: RunStartInfo, state: QueueState): void;
  onEvent(event: QueueEvent, state: QueueState): void;
  onRunEnd(info: RunEndInfo): void;
}

/**
 * One OpenTelemetry span per run session (`drover run`) with one child span per task attempt
 * (`drover task <type>`), timed by the queue events. An attempt's span ends on
 * `task-completed`, `task-skipped`, `task-failed` or `task-requeued`, with
 * `drover.task.outcome` saying which; spans still open when the run ends are ended as
 * `unfinished`. As in the PostHog events, attributes hold ids, types and enum values only.
 */
export function createOtelSpanObserver(options: OtelSpanObserverOptions = {}): OtelSpanObserver {
  const tracer = options.tracer ?? trace.getTracer('drover');
  const open = new Map<string, Span>();
  let runSpan: Span | undefined;

  const endTask = (taskId: string, outcome: string, at: Date, errorKind?: string): void => {
    const span = open.get(taskId);
    if (span === undefined) return;
    open.delete(taskId);
    span.setAttribute('drover.task.outcome', outcome);
    if (errorKind !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: errorKind });
    span.end(at);
  };

  return {
    onRunStart(info) {
      runSpan = tracer.startSpan('drover run', {
        startTime: new Date(info.startedAt),
        attributes: { 'drover.run.id': info.runId, 'drover.program': info.program, 'drover.run.resumed': info.resumed },
      });
    },
    onEvent(event, state) {
      const at = new Date(eventTimeMs(event, Date.now()));
      switch (event.event) {
        case 'task-started': {
          const task = state.tasks.get(event.taskId);
          const parent = runSpan === undefined ? context.active() : trace.setSpan(context.active(), runSpan);
          endTask(event.taskId, 'unfinished', at);
          open.set(
            event.taskId,
            tracer.startSpan(
              `drover task ${task?.type ?? 'unknown'}`,
              {
                startTime: at,
                attributes: { 'drover.run.id': state.meta.runId, 'drover.task.id': event.taskId, 'drover.task.type': task?.type ?? 'unknown', 'drover.task.attempt': event.attempt },
              },
              parent,
            ),
          );
          break;
        }
        case 'task-completed':
          endTask(event.taskId, 'done', at);
          break;
        case 'task-skipped':
          endTask(event.taskId, 'skipped', at);
          break;
        case 'task-failed':
          endTask(event.taskId, 'failed', at, event.error.kind);
          break;
        case 'task-requeued':
          endTask(event.taskId, 'requeued', at, event.error.kind);
          break;
        default:
          break;
      }
    },
    onRunEnd(info) {
      const at = new Date(info.endedAt);
      for (const taskId of [...open.keys()]) endTask(taskId, 'unfinished', at);
      if (runSpan === undefined) return;
      runSpan.setAttribute('drover.run.verdict', info.verdict.status);
      if (info.verdict.status !== 'done') runSpan.setStatus({ code: SpanStatusCode.ERROR, message: info.verdict.status });
      runSpan.end(at);
      runSpan = undefined;
    },
  };
}
