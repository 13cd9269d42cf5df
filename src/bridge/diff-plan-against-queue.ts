import type { EnqueueRequest } from '../queue/decide-enqueue.js';
import { dedupKey } from '../queue/dedup-key.js';
import type { QueueState } from '../queue/queue-state.js';
import { FANOUT_TASK_TYPE } from './fanout-queue-bridge.js';

export interface PlanChange {
  readonly changed: readonly string[];
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

/**
 * How a plan's task requests differ from the ones an unfinished run already holds as queue
 * tasks (by request id, comparing the whole request). `added` is only known once the run was
 * fully seeded: before that, a missing request may simply not have been enqueued yet. Returns
 * undefined when nothing differs, so resuming runs exactly the plan that was started.
 */
export function diffPlanAgainstQueue(state: QueueState, requests: readonly EnqueueRequest[]): PlanChange | undefined {
  const queued = new Map<string, string>();
  for (const task of state.byPosition) {
    if (task.type === FANOUT_TASK_TYPE && typeof task.inputs.requestId === 'string') queued.set(task.inputs.requestId, dedupKey(task.type, task.inputs));
  }
  const changed: string[] = [];
  const added: string[] = [];
  const planned = new Set<string>();
  for (const request of requests) {
    const id = String(request.inputs?.requestId);
    planned.add(id);
    const key = queued.get(id);
    if (key === undefined) {
      if (state.meta.seeded) added.push(id);
    } else if (key !== dedupKey(request.type, request.inputs ?? {})) changed.push(id);
  }
  const removed = [...queued.keys()].filter((id) => !planned.has(id));
  return changed.length + added.length + removed.length === 0 ? undefined : { changed, added, removed };
}

/** `request b changed; 2 added (c, d); 1 removed (a)`, naming at most five ids per kind. */
export function describePlanChange(change: PlanChange): string {
  const list = (ids: readonly string[]): string => ids.slice(0, 5).join(', ') + (ids.length > 5 ? `, and ${ids.length - 5} more` : '');
  const parts: string[] = [];
  if (change.changed.length > 0) parts.push(`${change.changed.length} changed (${list(change.changed)})`);
  if (change.added.length > 0) parts.push(`${change.added.length} added (${list(change.added)})`);
  if (change.removed.length > 0) parts.push(`${change.removed.length} removed (${list(change.removed)})`);
  return `task requests ${parts.join(', ')}`;
}
