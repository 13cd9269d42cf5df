import type { QueueState } from './queue-state.js';
import { dooms } from './satisfies.js';

export interface BlockDecision {
  readonly taskId: string;
  readonly blockedBy: string;
}

/**
 * After `failedId` failed for good (or was blocked), every pending task that transitively
 * depends on it can never run: list them, each with the dependency that doomed it, in
 * breadth-first order so the log reads outward from the failure.
 */
export function decideBlocked(state: QueueState, failedId: string): BlockDecision[] {
  const failed = state.tasks.get(failedId);
  if (failed === undefined || !dooms(failed)) return [];
  const out: BlockDecision[] = [];
  const seen = new Set<string>([failedId]);
  const queue: string[] = [failedId];
  while (queue.length > 0) {
    const cause = queue.shift()!;
    for (const dependentId of state.dependents.get(cause) ?? []) {
      if (seen.has(dependentId)) continue;
      const dependent = state.tasks.get(dependentId);
      if (dependent?.status !== 'pending') continue;
      seen.add(dependentId);
      out.push({ taskId: dependentId, blockedBy: cause });
      queue.push(dependentId);
    }
  }
  return out;
}
