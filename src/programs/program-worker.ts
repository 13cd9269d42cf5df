import type { Backend } from '../backend/backend.js';
import { Worker, type WorkerOptions } from '../runner/worker.js';
import { createTaskPreparer, type ProgramPrompts } from './prepare-task.js';

/** A worker whose attempts get the program's prompts (saved in the worker's own workspace for the run). */
export function programWorker(backend: Backend, prompts: ProgramPrompts, options: Omit<WorkerOptions, 'backend' | 'prepare'>): Worker {
  return new Worker({ ...options, backend, prepare: (task, attempt, upstream, workspace) => createTaskPreparer(prompts, workspace)(task, attempt, upstream) });
}
