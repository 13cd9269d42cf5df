import { insertTask } from './apply-event.js';
import type { Handoff } from './handoff.js';
import { emptyQueueState, type QueueState, type RunMeta } from './queue-state.js';
import { satisfies } from './satisfies.js';
import type { Task } from './task.js';

/** The `queue.json` document (SPEC "Run state on disk"). */
export interface QueueSnapshot extends RunMeta {
  readonly tasks: readonly Task[];
}

export function toSnapshot(state: QueueState): QueueSnapshot {
  return { ...state.meta, tasks: state.byPosition };
}

/**
 * Rebuilds a full state (with indices) from a snapshot and the handoffs written so far.
 * A sink may depend on tasks enqueued after it, so unmet counts and the ready heap are
 * computed in a second pass, once every task is known.
 */
export function restoreQueueState(snapshot: QueueSnapshot, handoffs: Iterable<Handoff> = []): QueueState {
  const state = emptyQueueState();
  const { tasks, ...meta } = snapshot;
  Object.assign(state.meta, meta);
  for (const task of tasks) insertTask(state, { ...task, dependsOn: [...task.dependsOn] });
  while (state.ready.size > 0) state.ready.pop();
  for (const task of state.byPosition) {
    let unmet = 0;
    for (const depId of task.dependsOn) {
      const dep = state.tasks.get(depId);
      if (dep === undefined || !satisfies(dep)) unmet += 1;
    }
    state.unmet.set(task.id, unmet);
    if (task.status === 'pending' && unmet === 0) state.ready.push(state.position.get(task.id)!);
  }
  for (const handoff of handoffs) if (state.tasks.has(handoff.taskId)) state.handoffs.set(handoff.taskId, handoff);
  return state;
}
