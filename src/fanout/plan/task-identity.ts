import type { JsonObject } from '../../util/is-plain-object.js';
import { textOf } from '../json/text-of.js';

export type TaskIdentityField = 'task_id' | 'id' | 'group_key';

export interface TaskIdentity {
  /** The task's id as text: the key of `failed_task_ids`, of missing records and of uniqueness. */
  readonly key: string;
  readonly field: TaskIdentityField;
}

const FIELDS: readonly TaskIdentityField[] = ['task_id', 'id', 'group_key'];

/** A task request's id, in the reference's precedence: `task_id`, then `id`, then `group_key`. */
export function taskIdentity(request: JsonObject): TaskIdentity | undefined {
  for (const field of FIELDS) {
    const key = Object.hasOwn(request, field) ? textOf(request[field]) : '';
    if (key !== '') return { key, field };
  }
  return undefined;
}
