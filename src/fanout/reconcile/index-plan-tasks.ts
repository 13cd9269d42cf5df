import type { JsonObject } from '../../util/is-plain-object.js';
import { textOf } from '../json/text-of.js';

/** Marks a lookup key shared by two or more tasks; a record can never match through it. */
export const AMBIGUOUS = -1;

export interface PlanTaskIndex {
  /** `task_id`, `id` and `sandbox_session_id` of every task → task position. */
  readonly byId: ReadonlyMap<string, number>;
  /** `group_key` of every task → task position. */
  readonly byGroupKey: ReadonlyMap<string, number>;
}

/** Builds the lookup maps that make matching one O(1) step per record. */
export function indexPlanTasks(tasks: readonly JsonObject[]): PlanTaskIndex {
  const byId = new Map<string, number>();
  const byGroupKey = new Map<string, number>();
  tasks.forEach((task, position) => {
    for (const field of ['task_id', 'id', 'sandbox_session_id']) add(byId, ownText(task, field), position);
    add(byGroupKey, ownText(task, 'group_key'), position);
  });
  return { byId, byGroupKey };
}

function add(map: Map<string, number>, key: string, position: number): void {
  if (key === '') return;
  const existing = map.get(key);
  if (existing === undefined) map.set(key, position);
  else if (existing !== position) map.set(key, AMBIGUOUS);
}

function ownText(record: JsonObject, field: string): string {
  return Object.hasOwn(record, field) ? textOf(record[field]) : '';
}
