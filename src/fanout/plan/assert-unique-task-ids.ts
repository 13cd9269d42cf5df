import { InputError } from '../../errors/input-error.js';
import { jsonPath } from '../../util/json-path.js';
import type { JsonObject } from '../../util/is-plain-object.js';
import { taskIdentity, type TaskIdentity } from './task-identity.js';

/**
 * Checks that every task request has a non-empty, unique id and returns the ids in plan order.
 * Records are matched to tasks by id, so a plan with a repeated or empty id cannot be
 * reconciled; the reference found out only when it executed the plan.
 */
export function assertUniqueTaskIds(requests: readonly JsonObject[], source: string, hint = ''): TaskIdentity[] {
  const firstIndexByKey = new Map<string, number>();
  return requests.map((request, index) => {
    const identity = taskIdentity(request);
    if (identity === undefined) throw new InputError(`task request has no id: expected a non-empty id, task_id or group_key${hint}`, { file: source, jsonPath: jsonPath(['task_requests', index]) });
    const first = firstIndexByKey.get(identity.key);
    if (first !== undefined) throw new InputError(`duplicate task id "${identity.key}" (also ${jsonPath(['task_requests', first])})${hint}`, { file: source, jsonPath: jsonPath(['task_requests', index, identity.field]) });
    firstIndexByKey.set(identity.key, index);
    return identity;
  });
}
