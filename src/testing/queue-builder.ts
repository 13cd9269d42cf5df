import { applyEvent } from '../queue/apply-event.js';
import { decideBlocked } from '../queue/decide-blocked.js';
import { decideEnqueue, type EnqueuePolicy, type EnqueueRequest } from '../queue/decide-enqueue.js';
import type { QueueEvent, QueueEventDraft } from '../queue/events.js';
import type { Handoff } from '../queue/handoff.js';
import { DEFAULT_LIMITS } from '../queue/limits.js';
import { emptyQueueState, type QueueState } from '../queue/queue-state.js';
import type { EnqueuedBy } from '../queue/task.js';

export const TEST_POLICY: EnqueuePolicy = { limits: DEFAULT_LIMITS, taskTypes: null, sinkTypes: new Set(['report']), defaultMaxAttempts: 2 };

/**
 * Drives the pure queue the way the executor does — decide, stamp, apply — with a fake clock,
 * and keeps the event log. For unit tests of queue/ and for library users testing their own
 * policies; it has no I/O.
 */
export class QueueBuilder {
  readonly state: QueueState = emptyQueueState();
  readonly log: QueueEvent[] = [];
  #clock = Date.parse('2026-01-01T00:00:00.000Z');
  readonly policy: EnqueuePolicy;
  readonly #listeners = new Set<(event: QueueEvent, state: QueueState) => void>();

  constructor(policy: EnqueuePolicy = TEST_POLICY) {
    this.policy = policy;
    this.emit({ event: 'run-started', runId: 'run-test', installDir: '/app', detected: { framework: null, packageManager: null } });
  }

  now(): string {
    this.#clock += 1000;
    return new Date(this.#clock).toISOString();
  }

  emit(draft: QueueEventDraft): QueueEvent {
    const event = { seq: this.state.meta.seq + 1, ts: this.now(), ...draft } as QueueEvent;
    applyEvent(this.state, event);
    this.log.push(event);
    for (const listener of this.#listeners) listener(event, this.state);
    return event;
  }

  /** Tells `listener` about every later event, with the state after it, as `RunQueue.subscribe` does. */
  subscribe(listener: (event: QueueEvent, state: QueueState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Enqueues and returns the new id, or throws with the guard's message. */
  enqueue(request: Partial<EnqueueRequest> & { type: string }, by: EnqueuedBy = 'orchestrator'): string {
    const decision = decideEnqueue(this.state, { reason: 'test', ...request }, by, this.policy, this.now());
    if (!decision.ok) throw new Error(`${decision.guard}: ${decision.message}`);
    this.emit({ event: 'task-enqueued', taskId: decision.task.id, task: decision.task, ...(decision.sinksExtended.length > 0 ? { sinksExtended: decision.sinksExtended } : {}) });
    return decision.task.id;
  }

  start(taskId: string): void {
    this.emit({ event: 'task-started', taskId, attempt: this.state.tasks.get(taskId)!.attempts + 1 });
  }

  complete(taskId: string, status: 'done' | 'skipped' = 'done'): void {
    const task = this.state.tasks.get(taskId)!;
    const handoff: Handoff = { taskId, type: task.type, status, goal: 'g', did: 'd', forNextAgent: 'n', completedAt: this.now() };
    this.emit({ event: status === 'done' ? 'task-completed' : 'task-skipped', taskId, handoff });
  }

  /** Fails for good and blocks what depended on it, as the executor does. */
  fail(taskId: string): void {
    this.emit({ event: 'task-failed', taskId, error: { kind: 'agent-failed', message: 'failed' } });
    for (const { taskId: id, blockedBy } of decideBlocked(this.state, taskId)) this.emit({ event: 'task-blocked', taskId: id, blockedBy });
  }

  requeue(taskId: string): void {
    this.emit({ event: 'task-requeued', taskId, error: { kind: 'no-report', message: 'no report' } });
  }
}
