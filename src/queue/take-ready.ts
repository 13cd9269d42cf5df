import type { QueueState } from './queue-state.js';
import type { Task } from './task.js';

/**
 * Removes and returns the earliest-enqueued ready task (pending, every dependency satisfied),
 * or undefined. Heap entries go stale when a task changes after being pushed; they are dropped
 * here, which keeps every transition O(log n).
 */
export function takeReady(state: QueueState): Task | undefined {
  for (;;) {
    const position = state.ready.pop();
    if (position === undefined) return undefined;
    const task = state.byPosition[position];
    if (task !== undefined && task.status === 'pending' && state.unmet.get(task.id) === 0) return task;
  }
}

/** The ready tasks in enqueue order, without taking them. O(r log r) for r heap entries. */
export function readyTasks(state: QueueState): Task[] {
  const seen = new Set<number>();
  const out: Task[] = [];
  for (const position of state.ready.toArray()) {
    if (seen.has(position)) continue;
    seen.add(position);
    const task = state.byPosition[position];
    if (task !== undefined && task.status === 'pending' && state.unmet.get(task.id) === 0) out.push(task);
  }
  return out;
}
