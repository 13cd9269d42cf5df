import type { EnqueueRequest } from './decide-enqueue.js';
import type { QueueState } from './queue-state.js';
import type { Task } from './task.js';

/**
 * The seed step is a task of the run (issue 11): type `seed`, id `seed`, one per run, enqueued
 * with the run. Its attempt runs the program's seeder, which enqueues the initial graph as the
 * orchestrator; its completion records `run-seeded` in the same commit. Only the orchestrator
 * may enqueue it, it does not count toward `maxTasks` or the other tasks' ids (they stay
 * `install-1`, …), and a sink enqueued while it exists waits for it too.
 */
export const SEED_TASK_TYPE = 'seed';
export const SEED_TASK_ID = 'seed';

/**
 * Only a worker that has the named seeder claims a seed task (`ClaimRequest.seeders`): the
 * seeder is the program's code, and what it reads (a checkout to explore, a plan file) must be
 * where that worker runs. `integrate` can run on any `drover worker` (it explores the worker's
 * own checkout); `fanout:<digest>` only in the `drover run --plan` process that read that plan.
 */
export function seedTaskRequest(seeder: string, inputs: Readonly<Record<string, unknown>>, label = 'Plan the run'): EnqueueRequest {
  return { type: SEED_TASK_TYPE, label, inputs: { ...inputs, seeder }, reason: 'the seed step plans the run' };
}

export function isSeedTask(task: Pick<Task, 'type'>): boolean {
  return task.type === SEED_TASK_TYPE;
}

/** The seeder a seed task needs, or undefined for any other task. */
export function seederOf(task: Pick<Task, 'type' | 'inputs'>): string | undefined {
  if (!isSeedTask(task)) return undefined;
  const seeder = task.inputs['seeder'];
  return typeof seeder === 'string' ? seeder : '';
}

/** Whether a worker with these seeders may claim `task` (any task but a seed; a seed only with its seeder). */
export function claimableWith(task: Pick<Task, 'type' | 'inputs'>, seeders: readonly string[] | undefined): boolean {
  const seeder = seederOf(task);
  return seeder === undefined || (seeders ?? []).includes(seeder);
}

/**
 * Whether a run with nothing left to run may have its verdict recorded: once it is seeded, or when
 * it has a seed task (which seeds it, so a seed that failed for good fails the run). A run seeded
 * outside the queue without its `run-seeded` mark yet may still get work.
 */
export function mayRecordVerdict(run: { readonly seeded: boolean; readonly tasks: readonly Pick<Task, 'type'>[] }): boolean {
  return run.seeded || run.tasks.some(isSeedTask);
}

/** How many seed tasks the run holds (0 or 1): they take no number from the others' ids and no room under `maxTasks`. */
export function seedCount(state: QueueState): number {
  return state.tasks.has(SEED_TASK_ID) ? 1 : 0;
}

/** The tasks that count for the verdict's "did the run do anything": every task but the seed. */
export function workTasks<T extends Pick<Task, 'type'>>(tasks: readonly T[]): T[] {
  return tasks.filter((task) => !isSeedTask(task));
}
