import type { QueueState } from './queue-state.js';
import type { Task } from './task.js';

/**
 * Every task `taskId` transitively depends on, roots first, each once (diamonds included).
 * This is the order in which upstream handoffs are shown to a fresh agent.
 */
export function ancestors(state: QueueState, taskId: string): Task[] {
  const out: Task[] = [];
  const seen = new Set<string>([taskId]);
  const visit = (id: string): void => {
    const task = state.tasks.get(id);
    if (task === undefined) return;
    for (const depId of task.dependsOn) {
      if (seen.has(depId)) continue;
      seen.add(depId);
      visit(depId);
      const dep = state.tasks.get(depId);
      if (dep !== undefined) out.push(dep);
    }
  };
  visit(taskId);
  return out;
}
