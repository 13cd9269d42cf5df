import type { Backend } from '../backend/backend.js';
import type { BatchEnqueue } from '../queue/decide-enqueue.js';
import { backendOperations } from './backend-operations.js';
import type { QueueOperations } from '../queue/queue-operations.js';

/**
 * What a program's seed step needs: the bulk enqueue (one commit for the initial graph) and the
 * orchestrator's tool operations (a seed agent plans through `enqueue_task`). `RunQueue` is one;
 * `backendSeedOperations` makes one of a backend and a run id, so a program seeds the same way
 * into a state dir or into PostgreSQL.
 */
export interface SeedOperations extends QueueOperations {
  /** See `Backend.enqueueBatch`: `add` is synchronous, returns the id (or a live twin's), throws when refused. */
  enqueueBatch<T>(build: (add: BatchEnqueue) => T): Promise<T>;
}

export function backendSeedOperations(backend: Backend, runId: string): SeedOperations {
  return { ...backendOperations(backend, runId, { kind: 'orchestrator' }), enqueueBatch: (build) => backend.enqueueBatch(runId, build) };
}
