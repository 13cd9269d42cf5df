import { INVALID_SPAN_CONTEXT, SpanStatusCode, trace, type Span, type SpanOptions, type SpanStatus, type Tracer } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { computeVerdict } from '../queue/verdict.js';
import { QueueBuilder } from '../testing/queue-builder.js';
import { createOtelSpanObserver } from './otel-spans.js';

interface Recorded {
  span?: Span;
  name: string;
  options: SpanOptions | undefined;
  parent: Span | undefined;
  attributes: Record<string, unknown>;
  status?: SpanStatus;
  endedAt?: number;
}

/** A tracer that records what it is asked to do (no SDK is installed here). */
function recordingTracer(): { tracer: Pick<Tracer, 'startSpan'>; spans: Recorded[] } {
  const spans: Recorded[] = [];
  const tracer: Pick<Tracer, 'startSpan'> = {
    startSpan(name, options, context) {
      const record: Recorded = { name, options, parent: context === undefined ? undefined : trace.getSpan(context), attributes: { ...options?.attributes } };
      spans.push(record);
      const span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
      span.setAttribute = (key, value) => ((record.attributes[key] = value), span);
      span.setStatus = (status) => ((record.status = status), span);
      span.end = (end) => void (record.endedAt = end instanceof Date ? end.getTime() : Number(end));
      record.span = span;
      return span;
    },
  };
  return { tracer, spans };
}

describe('createOtelSpanObserver', () => {
  it('opens a span per task attempt under the run span, timed by the events, with the outcome', () => {
    const { tracer, spans } = recordingTracer();
    const observer = createOtelSpanObserver({ tracer });
    const q = new QueueBuilder();
    observer.onRunStart({ program: 'integrate', runId: 'run-test', installDir: '/app', stateDir: '/app/.drover', detected: q.state.meta.detected, resumed: false, startedAt: Date.parse(q.log[0]!.ts) }, q.state);
    q.subscribe((event, state) => observer.onEvent?.(event, state));
    const a = q.enqueue({ type: 'build' });
    const b = q.enqueue({ type: 'deploy' });
    q.start(a);
    q.requeue(a);
    q.start(a);
    q.complete(a);
    q.start(b);
    const endedAt = Date.parse(q.now());
    observer.onRunEnd({ verdict: { status: 'interrupted', unfinished: [b], failed: [], blocked: [] }, exitCode: 130, state: q.state, endedAt });

    const [run, firstAttempt, secondAttempt, unfinished] = spans;
    expect(spans.map((span) => span.name)).toEqual(['drover run', 'drover task build', 'drover task build', 'drover task deploy']);
    expect(firstAttempt).toMatchObject({ attributes: { 'drover.task.id': a, 'drover.task.attempt': 1, 'drover.task.outcome': 'requeued' }, status: { code: SpanStatusCode.ERROR, message: 'no-report' } });
    expect(secondAttempt).toMatchObject({ attributes: { 'drover.task.attempt': 2, 'drover.task.outcome': 'done' } });
    expect(secondAttempt?.status).toBeUndefined();
    const completed = q.log.find((event) => event.event === 'task-completed')!;
    expect(secondAttempt?.endedAt).toBe(Date.parse(completed.ts));
    expect(unfinished).toMatchObject({ attributes: { 'drover.task.outcome': 'unfinished' }, endedAt });
    expect(run).toMatchObject({ attributes: { 'drover.run.verdict': 'interrupted' }, status: { code: SpanStatusCode.ERROR }, endedAt });
    expect(firstAttempt?.parent).toBe(run?.span);
    expect(unfinished?.parent).toBe(run?.span);
  });

  it('is a no-op with the default tracer when no SDK is registered', () => {
    const observer = createOtelSpanObserver();
    const q = new QueueBuilder();
    const a = q.enqueue({ type: 'build' });
    q.start(a);
    expect(() => {
      for (const event of q.log) observer.onEvent(event, q.state);
      observer.onRunEnd({ verdict: computeVerdict(q.state), exitCode: 1, state: q.state, endedAt: 0 });
    }).not.toThrow();
  });
});
