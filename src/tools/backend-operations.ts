import type { Backend, BackendCaller } from '../backend/backend.js';
import type { QueueOperations } from '../queue/queue-operations.js';

/**
 * The queue tools' operations on a backend, bound to one caller: one attempt of one task (an
 * `AttemptRef`: run, task, attempt, worker), or the orchestrator of one run (the seed step).
 * The caller the tool session passes is ignored: this binding is the identity, so a token
 * issued for one attempt can only ever act as that attempt, and the backend's fencing refuses
 * it once the attempt's lease is gone.
 */
export function backendOperations(backend: Backend, runId: string, caller: BackendCaller): QueueOperations {
  return {
    enqueue: (request) => backend.enqueue(runId, request, caller),
    async complete(_caller, status, handoff) {
      if (caller.kind !== 'task') return { ok: false, guard: 'not-allowed', message: 'complete_task can only be called by a running task agent; the orchestrator only plans work with enqueue_task.' };
      return backend.complete(caller, status, handoff);
    },
    readHandoffs: (query) => backend.readHandoffs(runId, query, caller),
    refuse: (_caller, tool, guard, message) => backend.refuse(caller, tool, guard, message),
  };
}
