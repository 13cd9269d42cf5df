import type { Task } from '../queue/task.js';

/**
 * Each task's dependency depth: 0 with no dependencies, else one more than its deepest
 * dependency (the longest path back to a root). Computed iteratively, so a 10,000-task chain
 * cannot overflow the stack; a dependency that is unknown or would close a cycle is ignored
 * (the queue never builds one, but a view must not hang on bad input).
 */
export function dependencyDepths(tasks: readonly Task[]): Map<string, number> {
  const byId = new Map<string, Task>();
  for (const task of tasks) byId.set(task.id, task);
  const depths = new Map<string, number>();
  const onPath = new Set<string>();
  for (const root of tasks) {
    if (depths.has(root.id)) continue;
    const stack: Array<{ task: Task; next: number }> = [{ task: root, next: 0 }];
    onPath.add(root.id);
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      const deps = frame.task.dependsOn;
      if (frame.next < deps.length) {
        const dep = byId.get(deps[frame.next]!);
        frame.next += 1;
        if (dep !== undefined && !depths.has(dep.id) && !onPath.has(dep.id)) {
          onPath.add(dep.id);
          stack.push({ task: dep, next: 0 });
        }
        continue;
      }
      let depth = 0;
      for (const depId of deps) {
        const depDepth = depths.get(depId);
        if (depDepth !== undefined) depth = Math.max(depth, depDepth + 1);
      }
      depths.set(frame.task.id, depth);
      onPath.delete(frame.task.id);
      stack.pop();
    }
  }
  return depths;
}

/**
 * Tasks in the order a person reads a plan: by dependency depth, and within a depth in enqueue
 * order. Only the display order; the executor's order is its own.
 */
export function orderByDependencyDepth(tasks: readonly Task[]): Task[] {
  const depths = dependencyDepths(tasks);
  // Array#sort is stable, so enqueue order survives within a depth.
  return [...tasks].sort((a, b) => depths.get(a.id)! - depths.get(b.id)!);
}
