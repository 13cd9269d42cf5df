import type { RunReader } from '../backend/backend.js';
import { ancestors } from '../queue/ancestors.js';
import type { Handoff } from '../queue/handoff.js';
import { restoreQueueState } from '../queue/snapshot.js';
import type { Task } from '../queue/task.js';

/**
 * Every ancestor's handoff, roots first, read through the port: what a fresh agent's prompt
 * shows of the work before it. Reads the whole run (O(tasks)) once per attempt.
 */
export async function upstreamHandoffs(reader: RunReader, runId: string, taskId: string): Promise<Array<{ task: Task; handoff: Handoff }>> {
  const snapshot = await reader.readRun(runId);
  if (snapshot === undefined) return [];
  const state = restoreQueueState(snapshot, await reader.readAllHandoffs(runId));
  return ancestors(state, taskId).flatMap((task) => {
    const handoff = state.handoffs.get(task.id);
    return handoff === undefined ? [] : [{ task, handoff }];
  });
}
