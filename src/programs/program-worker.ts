import type { Backend } from '../backend/backend.js';
import { Worker, type WorkerOptions } from '../runner/worker.js';
import { backendSeedOperations } from '../tools/seed-operations.js';
import type { McpEndpoint } from '../tools/mcp/mcp-endpoint.js';
import { createTaskPreparer, type ProgramPrompts } from './prepare-task.js';
import type { ProgramDefinition } from './run-session.js';
import { withSeedPreparer, withSeedStep } from './seed-step.js';
import { SEED_TASK_ID } from '../queue/seed-task.js';

/**
 * A worker whose attempts get the program's prompts (saved in the worker's own workspace for the
 * run). With `seeders`, it also claims and runs the seed tasks of those seeders: their attempts
 * run the seed step (`withSeedStep`) instead of `agent`.
 */
export function programWorker(backend: Backend, prompts: ProgramPrompts, options: Omit<WorkerOptions, 'backend' | 'prepare' | 'seeders'> & { readonly seeders?: ReadonlyMap<string, ProgramDefinition['seed']> }): Worker {
  const { seeders, ...rest } = options;
  const mcp: McpEndpoint | undefined = options.mcp;
  // A seed agent's prompt is assembled inside the seed step: stored like any attempt's, over the empty one the worker stored
  // first (saveArtifact orders saves by attempt number and names no lease holder, so the ref's worker is left empty).
  const savePrompt = (runId: string, attempt: number, text: string): Promise<void> => backend.saveArtifact({ runId, taskId: SEED_TASK_ID, attempt, worker: '' }, 'prompt', text);
  const agent = seeders === undefined || seeders.size === 0 ? options.agent : withSeedStep(options.agent, { seeders, operations: (runId) => backendSeedOperations(backend, runId), mcp, ...(options.saveArtifacts !== false ? { savePrompt } : {}) });
  return new Worker({
    ...rest,
    agent,
    backend,
    ...(seeders !== undefined ? { seeders: [...seeders.keys()] } : {}),
    prepare: withSeedPreparer((task, attempt, upstream, workspace) => createTaskPreparer(prompts, workspace)(task, attempt, upstream)),
  });
}
