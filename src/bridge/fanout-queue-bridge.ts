import type { JsonObject } from '../util/is-plain-object.js';
import type { TaskIdentity } from '../fanout/plan/index.js';
import type { EnqueueRequest } from '../queue/decide-enqueue.js';
import type { QueueState } from '../queue/queue-state.js';
import type { Task } from '../queue/task.js';

export const FANOUT_TASK_TYPE = 'fanout-task';

/**
 * How the handoff of a task that was not run for want of a required upstream output begins
 * (see `gateOnRequiredOutputs`); its record says `cancelled` with the rest as the reason.
 */
export const MISSING_OUTPUT_MARK = 'Not run: ';

/**
 * The edge between the two halves: a fanout plan's task requests become queue tasks (one per
 * request, the request as the task's input), and the finished queue becomes the records file
 * that `drover fanout reconcile` reads. Neither fanout/ nor queue/ knows about the other.
 */
export function fanoutTaskRequests(tasks: readonly JsonObject[], identities: readonly TaskIdentity[]): EnqueueRequest[] {
  return tasks.map((request, index) => {
    const id = identities[index]!.key;
    const instructions = typeof request.instructions === 'string' ? request.instructions : '';
    return { type: FANOUT_TASK_TYPE, label: shorten(instructions === '' ? `Fanout task ${id}` : instructions), inputs: { requestId: id, request }, reason: `task request ${id} of the fanout plan` };
  });
}

/**
 * Enqueues the plan's requests in plan order, each depending on the queue tasks of the earlier
 * requests its `depends_on` names (`dependencies`, by position): output dependencies become
 * `dependsOn` edges, so the upstream handoffs reach the downstream prompt and a failed upstream
 * blocks its dependents.
 */
export function seedFanoutRequests(add: (request: EnqueueRequest) => string, requests: readonly EnqueueRequest[], dependencies: readonly (readonly number[])[]): void {
  const queueIds: string[] = [];
  requests.forEach((request, position) => {
    const dependsOn = (dependencies[position] ?? []).map((upstream) => queueIds[upstream]!);
    queueIds.push(add(dependsOn.length === 0 ? request : { ...request, dependsOn }));
  });
}

/** Which queue task carries each request id (the request id is in the task's inputs). */
export function fanoutQueueTaskIds(state: QueueState): Map<string, string> {
  const out = new Map<string, string>();
  for (const task of state.byPosition) if (task.type === FANOUT_TASK_TYPE && typeof task.inputs.requestId === 'string') out.set(task.inputs.requestId, task.id);
  return out;
}

/** Provider outcome for each terminal task status (the Homeboy agent-task vocabulary). */
const OUTCOME: Record<Task['status'], string> = { done: 'succeeded', skipped: 'no_op', failed: 'failed', blocked: 'cancelled', pending: 'cancelled', running: 'cancelled' };

/**
 * One record per planned request, in plan order, using the Homeboy agent-task mapping: the
 * record status is host-owned (`succeeded` and `no_op` → `completed`, everything else →
 * `failed`), and the provider outcome is kept at `record.outcome.status`.
 */
export function fanoutRecords(state: QueueState, taskIdsByRequest: ReadonlyMap<string, string>, tasks: readonly JsonObject[], identities: readonly TaskIdentity[]): JsonObject[] {
  return tasks.map((request, index) => {
    const id = identities[index]!.key;
    const task = state.tasks.get(taskIdsByRequest.get(id) ?? '');
    const handoff = task === undefined ? undefined : state.handoffs.get(task.id);
    const notRun = task?.status === 'skipped' && handoff?.did.startsWith(MISSING_OUTPUT_MARK) === true;
    const outcomeStatus = task === undefined || notRun ? 'cancelled' : OUTCOME[task.status];
    const record: JsonObject = {
      id,
      ...(typeof request.group_key === 'string' ? { group_key: request.group_key } : {}),
      status: outcomeStatus === 'succeeded' || outcomeStatus === 'no_op' ? 'completed' : 'failed',
      outcome: {
        status: outcomeStatus,
        ...(task !== undefined ? { queue_task_id: task.id, attempts: task.attempts } : {}),
        ...(task?.error !== undefined ? { error: task.error } : {}),
        ...(notRun ? { reason: handoff?.did.slice(MISSING_OUTPUT_MARK.length) } : {}),
        ...(handoff !== undefined ? { handoff: { did: handoff.did, forNextAgent: handoff.forNextAgent, ...(handoff.filesTouched !== undefined ? { filesTouched: handoff.filesTouched } : {}) } } : {}),
      },
    };
    return record;
  });
}

function shorten(text: string): string {
  const line = text.split('\n')[0]!.trim();
  return line.length <= 80 ? line : `${line.slice(0, 79)}…`;
}
