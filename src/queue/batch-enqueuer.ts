import { decideEnqueue, type BatchEnqueue, type EnqueuePolicy } from './decide-enqueue.js';
import { dedupKey } from './dedup-key.js';
import type { QueueEventDraft } from './events.js';
import type { QueueState } from './queue-state.js';
import { dooms } from './satisfies.js';

/**
 * The `add` of a seed batch (the contract of `RunQueue.enqueueBatch` and `Backend.enqueueBatch`)
 * over a state the caller owns: a live twin's id is returned as is; otherwise the request is
 * decided by `decideEnqueue` and its events handed to `stage`, which must apply them to `state`
 * before returning, so the next request sees them. A refusal is staged as `guard-tripped`, then
 * thrown.
 */
export function batchEnqueuer(state: QueueState, policy: EnqueuePolicy, now: string, stage: (draft: QueueEventDraft) => void): BatchEnqueue {
  return (request) => {
    const twin = state.liveKeys.get(dedupKey(request.type, request.inputs ?? {}));
    if (twin !== undefined) return twin;
    const decision = decideEnqueue(state, request, 'orchestrator', policy, now);
    if (!decision.ok) {
      stage({ event: 'guard-tripped', guard: decision.guard, message: decision.message, caller: 'orchestrator', tool: 'enqueue_task', type: request.type });
      throw new Error(`seeding refused by guard ${decision.guard}: ${decision.message}`);
    }
    const { task } = decision;
    stage({ event: 'task-enqueued', taskId: task.id, task, ...(request.reason !== undefined ? { reason: request.reason } : {}), ...(decision.sinksExtended.length > 0 ? { sinksExtended: decision.sinksExtended } : {}) });
    const doomedBy = task.dependsOn.find((id) => dooms(state.tasks.get(id)!));
    if (doomedBy !== undefined) stage({ event: 'task-blocked', taskId: task.id, blockedBy: doomedBy });
    return task.id;
  };
}
