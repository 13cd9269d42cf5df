import type { Task } from './task.js';

/** A dependency lets its dependents run when it is done or skipped, or when it failed for good and was optional. */
export function satisfies(dependency: Task): boolean {
  return dependency.status === 'done' || dependency.status === 'skipped' || (dependency.status === 'failed' && dependency.optional);
}

/** A dependency that will never satisfy: its dependents are blocked. */
export function dooms(dependency: Task): boolean {
  return dependency.status === 'blocked' || (dependency.status === 'failed' && !dependency.optional);
}
