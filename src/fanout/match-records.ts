import type { DuplicateRecord, UnmatchedReason, UnmatchedRecord } from './fanout-result.js';
import { AMBIGUOUS, type PlanTaskIndex } from './index-plan-tasks.js';
import { isPlainObject, type JsonObject } from './is-plain-object.js';
import type { TaskIdentity } from './task-identity.js';
import { textOf } from './text-of.js';

export interface RecordMatches {
  /** The record kept for each task, by task position (`undefined` = missing). */
  readonly byTask: (JsonObject | undefined)[];
  readonly unmatched: UnmatchedRecord[];
  readonly duplicates: DuplicateRecord[];
}

/** Record fields tried in order against task ids; `group_key` is tried last, against task group keys. */
const ID_FIELDS = ['task_id', 'id', 'sandbox_session_id'] as const;

/**
 * Matches records to tasks in one pass. A record's `task_id`, `id` and `sandbox_session_id` are
 * looked up among the tasks' `task_id`/`id`/`sandbox_session_id`, then its `group_key` among the
 * tasks' group keys; the first key that names exactly one task wins. When several records match
 * one task the last one is kept (a later report supersedes an earlier one) and the others are
 * listed as duplicates. Nothing is dropped silently.
 */
export function matchRecords(records: readonly unknown[], index: PlanTaskIndex, identities: readonly TaskIdentity[]): RecordMatches {
  const byTask = new Array<JsonObject | undefined>(identities.length).fill(undefined);
  const keptAt = new Array<number>(identities.length).fill(-1);
  const unmatched: UnmatchedRecord[] = [];
  const superseded: { recordIndex: number; task: number; record: JsonObject }[] = [];

  records.forEach((record, recordIndex) => {
    if (!isPlainObject(record)) {
      unmatched.push({ record_index: recordIndex, reason: 'not_an_object', record });
      return;
    }
    const found = findTask(record, index);
    if (typeof found === 'string') {
      unmatched.push({ record_index: recordIndex, reason: found, record });
      return;
    }
    const previous = byTask[found];
    if (previous !== undefined) superseded.push({ recordIndex: keptAt[found] ?? -1, task: found, record: previous });
    byTask[found] = record;
    keptAt[found] = recordIndex;
  });

  const duplicates = superseded.map(({ recordIndex, task, record }) => ({
    record_index: recordIndex,
    task_id: identities[task]?.key ?? '',
    kept_record_index: keptAt[task] ?? -1,
    record,
  }));
  return { byTask, unmatched, duplicates };
}

function findTask(record: JsonObject, index: PlanTaskIndex): number | UnmatchedReason {
  let sawKey = false;
  let sawAmbiguous = false;
  for (const field of ID_FIELDS) {
    const result = lookup(index.byId, record, field);
    if (result === undefined) continue;
    sawKey = true;
    if (result >= 0) return result;
    if (result === AMBIGUOUS) sawAmbiguous = true;
  }
  const byGroup = lookup(index.byGroupKey, record, 'group_key');
  if (byGroup !== undefined) {
    sawKey = true;
    if (byGroup >= 0) return byGroup;
    if (byGroup === AMBIGUOUS) sawAmbiguous = true;
  }
  if (!sawKey) return 'no_match_key';
  return sawAmbiguous ? 'ambiguous' : 'no_matching_task';
}

/** `undefined` when the record has no such key; -2 when it has one that names no task. */
function lookup(map: ReadonlyMap<string, number>, record: JsonObject, field: string): number | undefined {
  const key = Object.hasOwn(record, field) ? textOf(record[field]) : '';
  if (key === '') return undefined;
  return map.get(key) ?? -2;
}
