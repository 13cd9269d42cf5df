import type { QueueEvent } from './events.js';
import type { QueueState } from './queue-state.js';
import { dedupKey } from './dedup-key.js';
import { satisfies } from './satisfies.js';
import type { Task } from './task.js';

/**
 * The transition function. It folds one event into the state in place: a 10,000-task run
 * would be quadratic if every event copied the queue. It is still deterministic and free of
 * I/O and clocks, so replaying the audit log rebuilds exactly the state that was acknowledged.
 * Events are trusted here: the decisions that produce them (`decideEnqueue`, the executor) have
 * already checked them against the state.
 */
export function applyEvent(state: QueueState, event: QueueEvent): QueueState {
  const meta = state.meta;
  meta.seq = event.seq;
  meta.updatedAt = event.ts;
  switch (event.event) {
    case 'run-started':
      meta.runId = event.runId;
      meta.installDir = event.installDir;
      meta.detected = event.detected;
      meta.status = 'running';
      meta.createdAt = event.ts;
      break;
    case 'run-resumed':
      meta.status = 'running';
      delete meta.cancel;
      break;
    case 'run-seeded':
      meta.seeded = true;
      break;
    case 'task-enqueued':
      insertTask(state, { ...event.task, dependsOn: [...event.task.dependsOn] });
      for (const sinkId of event.sinksExtended ?? []) extendSink(state, sinkId, event.taskId);
      break;
    case 'task-started': {
      const task = mustGet(state, event.taskId);
      task.status = 'running';
      task.attempts = event.attempt;
      task.startedAt = event.ts;
      delete task.finishedAt;
      break;
    }
    case 'task-completed':
    case 'task-skipped': {
      const task = mustGet(state, event.taskId);
      const wasSatisfied = satisfies(task);
      task.status = event.event === 'task-completed' ? 'done' : 'skipped';
      task.finishedAt = event.ts;
      delete task.error;
      state.handoffs.set(task.id, event.handoff);
      if (!wasSatisfied) releaseDependents(state, task);
      break;
    }
    case 'task-failed': {
      const task = mustGet(state, event.taskId);
      const wasSatisfied = satisfies(task);
      task.status = 'failed';
      task.finishedAt = event.ts;
      task.error = event.error;
      if (event.handoff !== undefined) state.handoffs.set(task.id, event.handoff);
      forgetLiveKey(state, task);
      if (task.optional && !wasSatisfied) releaseDependents(state, task);
      break;
    }
    case 'task-requeued': {
      const task = mustGet(state, event.taskId);
      task.status = 'pending';
      task.error = event.error;
      if (event.attempts !== undefined) task.attempts = event.attempts;
      delete task.startedAt;
      delete task.finishedAt;
      if (state.unmet.get(task.id) === 0) state.ready.push(state.position.get(task.id)!);
      break;
    }
    case 'task-blocked': {
      const task = mustGet(state, event.taskId);
      task.status = 'blocked';
      task.finishedAt = event.ts;
      task.error = { kind: 'blocked', message: `dependency ${event.blockedBy} did not succeed`, dependency: event.blockedBy };
      forgetLiveKey(state, task);
      break;
    }
    case 'guard-tripped':
      break;
    case 'task-retried':
      retryTask(state, event.taskId, event.maxAttempts, event.unblocked);
      if (event.reopened) meta.status = 'running';
      delete meta.cancel;
      break;
    case 'run-cancel-requested':
      meta.cancel = { by: event.by, ...(event.address !== undefined ? { address: event.address } : {}), at: event.ts };
      break;
    case 'run-finished':
      meta.status = event.verdict;
      break;
  }
  return state;
}

/** Adds a task with its current status to every index. Used by `task-enqueued` and by snapshot restore. */
export function insertTask(state: QueueState, task: Task): void {
  const position = state.byPosition.length;
  state.tasks.set(task.id, task);
  state.position.set(task.id, position);
  state.byPosition.push(task);
  let unmet = 0;
  for (const depId of task.dependsOn) {
    const dep = state.tasks.get(depId);
    if (dep === undefined || !satisfies(dep)) unmet += 1;
    let list = state.dependents.get(depId);
    if (list === undefined) state.dependents.set(depId, (list = []));
    list.push(task.id);
  }
  state.unmet.set(task.id, unmet);
  if (task.status !== 'failed' && task.status !== 'blocked') state.liveKeys.set(dedupKey(task.type, task.inputs), task.id);
  if (task.enqueuedBy !== 'orchestrator') state.children.set(task.enqueuedBy, (state.children.get(task.enqueuedBy) ?? 0) + 1);
  if (task.sink === true) state.sinks.add(task.id);
  if (task.status === 'pending' && unmet === 0) state.ready.push(position);
}

function extendSink(state: QueueState, sinkId: string, taskId: string): void {
  const sink = mustGet(state, sinkId);
  (sink.dependsOn as string[]).push(taskId);
  state.unmet.set(sinkId, (state.unmet.get(sinkId) ?? 0) + 1);
  let list = state.dependents.get(taskId);
  if (list === undefined) state.dependents.set(taskId, (list = []));
  list.push(sinkId);
}

function releaseDependents(state: QueueState, task: Task): void {
  for (const depId of state.dependents.get(task.id) ?? []) {
    const left = (state.unmet.get(depId) ?? 1) - 1;
    state.unmet.set(depId, left);
    const dependent = state.tasks.get(depId);
    if (left === 0 && dependent?.status === 'pending') state.ready.push(state.position.get(depId)!);
  }
}

/**
 * `task-retried`: the failed task is pending with a fresh attempt budget (its attempt count goes
 * on, so no attempt number is reused: leases, logs and refusal counts stay apart); the tasks its failure
 * blocked are pending again (they still wait for it). An optional task's failure had let its
 * dependents go: those still pending wait for it again.
 */
function retryTask(state: QueueState, taskId: string, maxAttempts: number, unblocked: readonly string[]): void {
  const task = mustGet(state, taskId);
  const wasSatisfied = satisfies(task);
  task.status = 'pending';
  task.maxAttempts = maxAttempts;
  delete task.error;
  delete task.startedAt;
  delete task.finishedAt;
  if (wasSatisfied) {
    for (const depId of state.dependents.get(task.id) ?? []) {
      if (state.tasks.get(depId)?.status === 'pending') state.unmet.set(depId, (state.unmet.get(depId) ?? 0) + 1);
    }
  }
  for (const id of [taskId, ...unblocked]) {
    const again = mustGet(state, id);
    if (id !== taskId) {
      again.status = 'pending';
      delete again.error;
      delete again.finishedAt;
    }
    const key = dedupKey(again.type, again.inputs);
    if (!state.liveKeys.has(key)) state.liveKeys.set(key, again.id);
    if (state.unmet.get(id) === 0) state.ready.push(state.position.get(id)!);
  }
}

function forgetLiveKey(state: QueueState, task: Task): void {
  const key = dedupKey(task.type, task.inputs);
  if (state.liveKeys.get(key) === task.id) state.liveKeys.delete(key);
}

function mustGet(state: QueueState, id: string): Task {
  const task = state.tasks.get(id);
  if (task === undefined) throw new Error(`event names unknown task ${id}`);
  return task;
}
