// One viewed run: its local copy (tasks by id, run status, last seq) kept current by ONE
// EventSource. Views subscribe to hear each applied event. On a dropped connection the browser
// reconnects by itself and sends Last-Event-ID, so the server resumes after the last event we
// saw; events at or below `seq` are ignored, so nothing is applied twice.
import { api } from './api.js';

const STATUS_BY_EVENT = {
  'task-started': 'running',
  'task-completed': 'done',
  'task-skipped': 'skipped',
  'task-failed': 'failed',
  'task-requeued': 'pending',
  'task-blocked': 'blocked',
};

export class RunSession {
  constructor(runId, onConnection) {
    this.runId = runId;
    this.onConnection = onConnection;
    this.listeners = new Set();
    this.tasks = new Map();
    this.seq = 0;
  }

  /** Loads the run, then starts streaming the events after the loaded `seq`. */
  async open() {
    const data = await api.run(this.runId);
    this.run = data.run;
    /** Whether the server was started with --allow-actions (the page then offers Retry and Cancel). */
    this.actions = data.actions === true;
    this.handoffs = data.handoffs ?? [];
    this.figures = data.figures ?? {};
    for (const task of data.run.tasks) this.tasks.set(task.id, { ...task });
    this.seq = data.seq;
    if (this.closed) return this;
    this.source = new EventSource(api.eventsUrl(this.runId, this.seq));
    this.source.addEventListener('run-event', (message) => this.apply(JSON.parse(message.data)));
    this.source.addEventListener('open', () => this.onConnection('live'));
    this.source.addEventListener('error', () => this.onConnection(this.source.readyState === EventSource.CLOSED ? 'disconnected' : 'reconnecting'));
    return this;
  }

  /** Calls `listener(event, session)` for every event applied from now on; returns the unsubscribe. */
  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  apply(event) {
    if (event.seq <= this.seq) return;
    this.seq = event.seq;
    const task = event.taskId === undefined ? undefined : this.tasks.get(event.taskId);
    if (event.event === 'task-enqueued') this.tasks.set(event.taskId, { ...event.task });
    else if (event.event === 'run-finished') this.run = { ...this.run, status: event.verdict };
    else if (event.event === 'run-cancel-requested') this.run = { ...this.run, cancel: { by: event.by, address: event.address, at: event.ts } };
    else if (event.event === 'task-retried') {
      if (event.reopened) this.run = { ...this.run, status: 'running' };
      delete this.run.cancel;
      if (task) Object.assign(task, { status: 'pending', maxAttempts: event.maxAttempts, error: undefined });
      for (const id of event.unblocked) if (this.tasks.has(id)) Object.assign(this.tasks.get(id), { status: 'pending', error: undefined });
    }
    else if (event.event === 'run-resumed') {
      this.run = { ...this.run, status: 'running' };
      for (const id of event.interrupted) if (this.tasks.has(id)) this.tasks.get(id).status = 'pending';
    } else if (task && event.event in STATUS_BY_EVENT) {
      task.status = STATUS_BY_EVENT[event.event];
      if (event.event === 'task-started') Object.assign(task, { attempts: event.attempt, startedAt: event.ts });
      if (event.error) task.error = event.error;
      if (event.event === 'task-blocked') task.error = { kind: 'blocked', message: `blocked by ${event.blockedBy}`, dependency: event.blockedBy };
      if (event.handoff) this.handoffs.push(event.handoff);
    }
    for (const listener of this.listeners) listener(event, this);
  }

  close() {
    this.closed = true;
    this.source?.close();
    this.listeners.clear();
  }
}

/** Whether an event can change the graph's shape (a new node or edge), so the layout is refetched. */
export const changesShape = (event) => event.event === 'task-enqueued';
