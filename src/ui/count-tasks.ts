import type { Task, TaskStatus } from '../queue/task.js';

export interface TaskCounts extends Readonly<Record<TaskStatus, number>> {
  readonly total: number;
  /** done + skipped + failed + blocked. */
  readonly finished: number;
}

export function countTasks(tasks: readonly Task[]): TaskCounts {
  const counts = { pending: 0, running: 0, done: 0, failed: 0, skipped: 0, blocked: 0 };
  for (const task of tasks) counts[task.status] += 1;
  return { ...counts, total: tasks.length, finished: counts.done + counts.skipped + counts.failed + counts.blocked };
}
