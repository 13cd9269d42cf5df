import { workTasks } from './seed-task.js';
import type { Task } from './task.js';

/**
 * How a run ended. `done`: every required task is done or skipped (optional failures allowed),
 * and there was at least one: a run whose seed produced no task did nothing, and says so by
 * failing (with no failed task named) rather than reporting "0/0 done".
 * `failed`: a required task failed (dependents are then `blocked`). `blocked`: tasks were
 * blocked without a required failure. `incomplete`: tasks are still pending or running.
 */
export type Verdict =
  | { readonly status: 'done'; readonly failed: readonly string[]; readonly blocked: readonly string[] }
  | { readonly status: 'failed' | 'blocked'; readonly failed: readonly string[]; readonly blocked: readonly string[] }
  | { readonly status: 'incomplete'; readonly unfinished: readonly string[]; readonly failed: readonly string[]; readonly blocked: readonly string[] };

/** Reads only the tasks, so a `QueueState` or a snapshot's `{ byPosition: snapshot.tasks }` will do (no indices rebuilt). */
export function computeVerdict(state: { readonly byPosition: readonly Task[] }): Verdict {
  const failed: string[] = [];
  const optionalFailed: string[] = [];
  const blocked: string[] = [];
  const unfinished: string[] = [];
  for (const task of state.byPosition) {
    if (task.status === 'pending' || task.status === 'running') unfinished.push(task.id);
    else if (task.status === 'blocked') blocked.push(task.id);
    else if (task.status === 'failed') (task.optional ? optionalFailed : failed).push(task.id);
  }
  if (state.byPosition.length === 0) return { status: 'failed', failed, blocked };
  if (unfinished.length > 0) return { status: 'incomplete', unfinished, failed, blocked };
  // The seed task alone (it enqueued nothing) is a run that did nothing, too.
  if (workTasks(state.byPosition).length === 0 && failed.length === 0) return { status: 'failed', failed, blocked };
  if (failed.length > 0) return { status: 'failed', failed, blocked };
  if (blocked.length > 0) return { status: 'blocked', failed, blocked };
  return { status: 'done', failed: optionalFailed, blocked };
}
