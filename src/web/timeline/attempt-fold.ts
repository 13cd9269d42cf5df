import type { QueueEvent } from '../../queue/events.js';
import type { TaskError } from '../../queue/task.js';

/**
 * How an attempt ended. `retried`: it failed with attempts left, so the task went back to the
 * queue; `interrupted`: drover stopped (or died) under it and gave the attempt back; `running`:
 * not ended yet.
 */
export type AttemptOutcome = 'done' | 'skipped' | 'failed' | 'retried' | 'interrupted' | 'running';

export interface AttemptRecord {
  readonly taskId: string;
  readonly attempt: number;
  /** When the task last entered the queue: enqueued, or requeued after the previous attempt. Queue wait = startedAt − enqueuedAt. */
  readonly enqueuedAt: string;
  readonly startedAt: string;
  endedAt?: string;
  outcome: AttemptOutcome;
  error?: string;
  errorKind?: TaskError['kind'];
}

/**
 * Every attempt of every task, folded from a run's events one at a time (O(1) each): the
 * dashboard's timeline and the attempts of a task's detail. Pure: times are the events' own.
 */
export class AttemptFold {
  readonly #all: AttemptRecord[] = [];
  readonly #byTask = new Map<string, AttemptRecord[]>();
  readonly #open = new Map<string, AttemptRecord>();
  readonly #queuedSince = new Map<string, string>();

  observe(event: QueueEvent): void {
    switch (event.event) {
      case 'task-enqueued':
        this.#queuedSince.set(event.taskId, event.ts);
        break;
      case 'task-started': {
        this.#end(event.taskId, event.ts, 'interrupted');
        const record: AttemptRecord = { taskId: event.taskId, attempt: event.attempt, enqueuedAt: this.#queuedSince.get(event.taskId) ?? event.ts, startedAt: event.ts, outcome: 'running' };
        this.#all.push(record);
        const list = this.#byTask.get(event.taskId);
        if (list === undefined) this.#byTask.set(event.taskId, [record]);
        else list.push(record);
        this.#open.set(event.taskId, record);
        break;
      }
      case 'task-completed':
        this.#end(event.taskId, event.ts, 'done');
        break;
      case 'task-skipped':
        this.#end(event.taskId, event.ts, 'skipped');
        break;
      case 'task-failed':
        this.#end(event.taskId, event.ts, 'failed', event.error);
        break;
      case 'task-requeued':
        this.#end(event.taskId, event.ts, event.error.kind === 'interrupted' ? 'interrupted' : 'retried', event.error);
        this.#queuedSince.set(event.taskId, event.ts);
        break;
      case 'run-resumed':
        // The previous process died under these attempts; the resume gave them back.
        for (const taskId of event.interrupted) {
          this.#end(taskId, event.ts, 'interrupted');
          this.#queuedSince.set(taskId, event.ts);
        }
        break;
      case 'task-retried':
        // Retried from the dashboard: its (and what it unblocked) queue wait starts now.
        for (const taskId of [event.taskId, ...event.unblocked]) this.#queuedSince.set(taskId, event.ts);
        break;
      case 'run-finished':
        for (const taskId of [...this.#open.keys()]) this.#end(taskId, event.ts, 'interrupted');
        break;
      default:
        break;
    }
  }

  /** Every attempt, in start order. */
  all(): readonly AttemptRecord[] {
    return this.#all;
  }

  forTask(taskId: string): readonly AttemptRecord[] {
    return this.#byTask.get(taskId) ?? [];
  }

  #end(taskId: string, ts: string, outcome: AttemptOutcome, error?: TaskError): void {
    const record = this.#open.get(taskId);
    if (record === undefined) return;
    this.#open.delete(taskId);
    record.endedAt = ts;
    record.outcome = outcome;
    if (error !== undefined) {
      record.error = error.message;
      record.errorKind = error.kind;
    }
  }
}
