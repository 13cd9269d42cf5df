import type { QueueEvent } from '../queue/events.js';
import type { QueueState } from '../queue/queue-state.js';
import type { RunEndInfo, RunStartInfo } from '../queue/run-observer.js';
import type { Task } from '../queue/task.js';
import { workTasks } from '../queue/seed-task.js';
import type { RunMetrics } from './run-metrics.js';

/**
 * Maps queue events to telemetry events named as the PostHog wizard's orchestrator names them,
 * so its dashboards carry over. Task events carry the wizard's property names (`type`,
 * `attempts`) beside drover's (`task_type`, `attempt`) for the same reason.
 *
 * Privacy: properties are built field by field from an allow-list, never by spreading a queue
 * object. They hold task types, drover-assigned ids, counts, durations, enum values (guard,
 * error kind, verdict, framework) and booleans — never task inputs, labels, prompts, handoff
 * text, error or guard messages, file paths or file contents, which can all carry user code or
 * agent-written text.
 */
export const TELEMETRY_EVENT_NAMES = [
  'orchestrator started',
  'orchestrator seeded',
  'orchestrator task enqueued',
  'orchestrator task started',
  'orchestrator task completed',
  'orchestrator task failed',
  'orchestrator task skipped',
  'orchestrator task requeued',
  'orchestrator task blocked',
  'orchestrator guard tripped',
  'orchestrator task retried',
  'orchestrator run cancel requested',
  'orchestrator run finished',
] as const;

export type TelemetryEventName = (typeof TELEMETRY_EVENT_NAMES)[number];

export type TelemetryValue = string | number | boolean | null | readonly string[];

export type TelemetryProperties = Readonly<Record<string, TelemetryValue>>;

/** One line of `events.jsonl`, and what is sent to PostHog. */
export interface TelemetryEvent {
  readonly event: TelemetryEventName;
  readonly properties: TelemetryProperties;
  /** ISO time of the queue event (or of the run's start or end). */
  readonly timestamp: string;
  readonly distinct_id?: string;
  readonly run_id: string;
}

export interface TelemetryContext {
  /** The anonymous id the events are attributed to. */
  readonly distinctId?: string;
  /** drover's version, sent as `drover_version` on every event. */
  readonly appVersion?: string;
}

/** What the queue event alone cannot say; the telemetry observer measures it. */
export interface EventTiming {
  /** `task-started`: milliseconds since this session started. */
  readonly msSinceRunStart?: number;
  /** `task-started`: milliseconds since the previous start in this session (null for the first). */
  readonly gapSincePrevStartMs?: number | null;
  /** Task ends and requeues: how long the attempt ran (null when its start was not seen). */
  readonly durationMs?: number | null;
}

/** Agent-chosen strings (a refused enqueue's type) are cut to this length. */
const MAX_FREE_STRING = 64;

/** The telemetry event for a queue event, or null for events that have none (run bookkeeping). */
export function queueEventToTelemetry(event: QueueEvent, state: QueueState, context: TelemetryContext = {}, timing: EventTiming = {}): TelemetryEvent | null {
  const emit = (name: TelemetryEventName, properties: Record<string, TelemetryValue>): TelemetryEvent =>
    build(name, { ...properties, seq: event.seq }, event.ts, state.meta.runId, context);
  switch (event.event) {
    case 'run-seeded':
      return emit('orchestrator seeded', { task_count: event.taskCount, types: taskTypes(state) });
    case 'task-enqueued': {
      const task = event.task;
      const dynamic = task.enqueuedBy !== 'orchestrator';
      return emit('orchestrator task enqueued', {
        ...taskProperties(task),
        enqueued_by: task.enqueuedBy,
        enqueued_by_type: dynamic ? (state.tasks.get(task.enqueuedBy)?.type ?? null) : 'orchestrator',
        depth: task.depth,
        dynamic,
        sink: task.sink === true,
        dependency_count: task.dependsOn.length,
      });
    }
    case 'task-started': {
      const task = state.tasks.get(event.taskId);
      if (task === undefined) return null;
      return emit('orchestrator task started', {
        ...taskProperties(task),
        ...attemptProperties(event.attempt),
        max_attempts: task.maxAttempts,
        ms_since_run_start: timing.msSinceRunStart ?? null,
        gap_since_prev_start_ms: timing.gapSincePrevStartMs ?? null,
      });
    }
    case 'task-completed':
    case 'task-skipped':
    case 'task-failed':
    case 'task-requeued': {
      const task = state.tasks.get(event.taskId);
      if (task === undefined) return null;
      // A requeue that gave an interrupted attempt back has already lowered `attempts`.
      const attempt = event.event === 'task-requeued' && event.attempts !== undefined ? event.attempts + 1 : task.attempts;
      const ended = {
        ...taskProperties(task),
        ...attemptProperties(attempt),
        duration_ms: timing.durationMs ?? null,
      };
      if (event.event === 'task-completed') return emit('orchestrator task completed', ended);
      if (event.event === 'task-skipped') return emit('orchestrator task skipped', ended);
      return emit(event.event === 'task-failed' ? 'orchestrator task failed' : 'orchestrator task requeued', { ...ended, error: event.error.kind });
    }
    case 'task-blocked': {
      const task = state.tasks.get(event.taskId);
      if (task === undefined) return null;
      return emit('orchestrator task blocked', { ...taskProperties(task), blocked_by_type: state.tasks.get(event.blockedBy)?.type ?? null });
    }
    case 'guard-tripped': {
      const type = event.type === undefined ? null : event.type.slice(0, MAX_FREE_STRING);
      return emit('orchestrator guard tripped', {
        guard: event.guard,
        tool: event.tool,
        task_type: type,
        type,
        caller_type: event.caller === 'orchestrator' ? 'orchestrator' : (state.tasks.get(event.caller)?.type ?? null),
      });
    }
    case 'task-retried': {
      const task = state.tasks.get(event.taskId);
      if (task === undefined) return null;
      // Who asked is a surface name; the remote address is not sent.
      return emit('orchestrator task retried', { ...taskProperties(task), by: event.by, unblocked_count: event.unblocked.length, reopened: event.reopened });
    }
    case 'run-cancel-requested':
      return emit('orchestrator run cancel requested', { by: event.by, running_count: state.byPosition.filter((task) => task.status === 'running').length });
    case 'run-started':
    case 'run-resumed':
    case 'run-finished':
      return null;
  }
}

/**
 * `orchestrator started`, when a process starts (or resumes) a run. `seq` is that of the
 * `run-started` / `run-resumed` event it stands for (the next one, when called before it).
 */
export function runStartToTelemetry(info: RunStartInfo, state: QueueState, context: TelemetryContext = {}, seq?: number): TelemetryEvent {
  return build(
    'orchestrator started',
    {
      ...(seq === undefined ? {} : { seq }),
      program_id: info.program,
      resumed: info.resumed,
      framework: info.detected.framework,
      package_manager: info.detected.packageManager,
      task_count: state.tasks.size,
      node_version: process.version,
      os: process.platform,
    },
    new Date(info.startedAt).toISOString(),
    info.runId,
    context,
  );
}

/** `orchestrator run finished`, with the session's metrics (see `run-metrics.ts`). */
export function runEndToTelemetry(info: RunEndInfo, metrics: RunMetrics, context: TelemetryContext = {}): TelemetryEvent {
  // The `run-finished` event is the last the session wrote: its seq is the state's. A session that leaves the run
  // running (a --store run stopped while other workers go on) wrote none, so it stands for no event and has no seq.
  const seq = info.state.meta.status === 'running' ? {} : { seq: info.state.meta.seq };
  const stranded = info.state.byPosition.filter((task) => task.status === 'blocked');
  const failed = info.state.byPosition.filter((task) => task.status === 'failed');
  const stuck = {
    // Every task stranded behind a failed dependency, as the wizard's blockedTypes.
    blocked_types: [...new Set(stranded.map((task) => task.type))].sort(),
    blocked_task_ids: stranded.map((task) => task.id),
    failed_types: [...new Set(failed.map((task) => task.type))].sort(),
  };
  return build('orchestrator run finished', { ...metrics, ...stuck, verdict: info.verdict.status, exit_code: info.exitCode, ...seq }, new Date(info.endedAt).toISOString(), info.state.meta.runId, context);
}

function build(name: TelemetryEventName, properties: Record<string, TelemetryValue>, timestamp: string, runId: string, context: TelemetryContext): TelemetryEvent {
  const withVersion = context.appVersion === undefined ? properties : { ...properties, drover_version: context.appVersion };
  return { event: name, properties: withVersion, timestamp, ...(context.distinctId === undefined ? {} : { distinct_id: context.distinctId }), run_id: runId };
}

function taskProperties(task: Task): Record<string, TelemetryValue> {
  return { task_type: task.type, type: task.type, task_id: task.id, optional: task.optional };
}

function attemptProperties(attempt: number): Record<string, TelemetryValue> {
  return { attempt, attempts: attempt };
}

/** The types of the tasks the seed step enqueued, as `task_count` counts them: the seed task itself left out. */
function taskTypes(state: QueueState): string[] {
  const types = new Set<string>();
  for (const task of workTasks(state.byPosition)) types.add(task.type);
  return [...types].sort();
}
