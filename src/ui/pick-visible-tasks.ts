import type { Task, TaskStatus } from '../queue/task.js';

export interface VisibleTasks {
  /** The tasks to draw, in display order. */
  readonly shown: readonly Task[];
  /** How many of each status were left out. */
  readonly hidden: Readonly<Record<TaskStatus, number>>;
}

// Lower ranks stay on screen first: what is happening now, then what went wrong, then what comes next.
const RANK: Readonly<Record<TaskStatus, number>> = { running: 0, failed: 1, pending: 2, blocked: 3, done: 4, skipped: 4 };

/**
 * Chooses which tasks get a row when the list is longer than `rows`. Running tasks stay
 * visible, then failures, then the pending tasks due next, then blocked ones, then the most
 * recently finished. The caller draws the left-out ones as one-line counts.
 */
export function pickVisibleTasks(ordered: readonly Task[], rows: number): VisibleTasks {
  const hidden: Record<TaskStatus, number> = { pending: 0, running: 0, done: 0, failed: 0, skipped: 0, blocked: 0 };
  if (ordered.length <= rows) return { shown: ordered, hidden };
  const byPriority = ordered.map((task, index) => ({ task, index })).sort((a, b) => {
    const rank = RANK[a.task.status] - RANK[b.task.status];
    if (rank !== 0) return rank;
    // Finished work: the latest first, so the list shows what just happened.
    if (RANK[a.task.status] === RANK.done) return (b.task.finishedAt ?? '').localeCompare(a.task.finishedAt ?? '') || b.index - a.index;
    return a.index - b.index;
  });
  const kept = new Set(byPriority.slice(0, Math.max(0, rows)).map((entry) => entry.index));
  const shown: Task[] = [];
  ordered.forEach((task, index) => {
    if (kept.has(index)) shown.push(task);
    else hidden[task.status] += 1;
  });
  return { shown, hidden };
}
