import type { TaskRetriedEvent } from './events.js';
import type { QueueState } from './queue-state.js';
import { DEFAULT_MAX_ATTEMPTS } from './limits.js';
import { dooms } from './satisfies.js';

export type RetryDecision =
  | { readonly ok: true; readonly draft: Omit<TaskRetriedEvent, 'seq' | 'ts' | 'by' | 'address'> }
  | { readonly ok: false; readonly message: string };

/**
 * Whether a person may retry `taskId` now, and what it changes: only a `failed` task, and not
 * while the run is being cancelled. It gets `budget` more attempts (the run's `--max-attempts`
 * when the caller knows it). The tasks its failure blocked go back to pending with it,
 * except one that another failure still dooms (it stays blocked). A finished run is reopened.
 */
export function decideRetry(state: QueueState, taskId: string, budget: number = DEFAULT_MAX_ATTEMPTS): RetryDecision {
  const task = state.tasks.get(taskId);
  if (task === undefined) return { ok: false, message: `run ${state.meta.runId} has no task ${taskId}` };
  if (task.status !== 'failed') return { ok: false, message: `task ${taskId} is ${task.status}: only a failed task can be retried` };
  if (state.meta.status === 'running' && state.meta.cancel !== undefined) return { ok: false, message: `run ${state.meta.runId} is being cancelled: retry ${taskId} after it has stopped` };
  // Every blocked task reachable from the retried one through blocked tasks...
  const reached = new Set<string>();
  const queue = [taskId];
  while (queue.length > 0) {
    for (const id of state.dependents.get(queue.shift()!) ?? []) {
      if (reached.has(id) || state.tasks.get(id)?.status !== 'blocked') continue;
      reached.add(id);
      queue.push(id);
    }
  }
  // ...less those that still have a dooming dependency outside the set (to a fixpoint).
  for (let changed = true; changed; ) {
    changed = false;
    for (const id of reached) {
      const stillDoomed = state.tasks.get(id)!.dependsOn.some((dep) => {
        const dependency = state.tasks.get(dep);
        return dep !== taskId && !reached.has(dep) && dependency !== undefined && dooms(dependency);
      });
      if (stillDoomed) {
        reached.delete(id);
        changed = true;
      }
    }
  }
  const unblocked = [...reached].sort((a, b) => state.position.get(a)! - state.position.get(b)!);
  return { ok: true, draft: { event: 'task-retried', taskId, maxAttempts: task.attempts + Math.max(1, budget), unblocked, reopened: state.meta.status !== 'running' } };
}
