import type { QueueState } from './queue-state.js';
import type { Task } from './task.js';

/**
 * Every task `taskId` transitively depends on, roots first, each once (diamonds included).
 * This is the order in which upstream handoffs are shown to a fresh agent. Iterative, so a
 * long chain cannot overflow the stack. Only `state.tasks` is read, and only the task and its
 * ancestors need to be in it (the PostgreSQL backend loads just those).
 */
export function ancestors(state: Pick<QueueState, 'tasks'>, taskId: string): Task[] {
  const out: Task[] = [];
  const seen = new Set<string>([taskId]);
  // Post-order DFS: a task is emitted after all of its own dependencies.
  const stack: Array<{ id: string; next: number }> = [{ id: taskId, next: 0 }];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    const deps = state.tasks.get(frame.id)?.dependsOn ?? [];
    if (frame.next < deps.length) {
      const depId = deps[frame.next++]!;
      if (!seen.has(depId) && state.tasks.has(depId)) {
        seen.add(depId);
        stack.push({ id: depId, next: 0 });
      }
      continue;
    }
    stack.pop();
    if (frame.id !== taskId) out.push(state.tasks.get(frame.id)!);
  }
  return out;
}
