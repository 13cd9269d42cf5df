import type { DuplicateRecord, UnmatchedReason, UnmatchedRecord } from './fanout-result.js';
import { AMBIGUOUS, type PlanTaskIndex } from './index-plan-tasks.js';
import { isPlainObject, type JsonObject } from '../../util/is-plain-object.js';
import type { TaskIdentity } from '../plan/task-identity.js';
import { textOf } from '../json/text-of.js';

export interface RecordMatches {
  /** The record kept for each task, by task position (`undefined` = missing). */
  readonly byTask: (JsonObject | undefined)[];
  /** In input order; empty unless reported records are retained. */
  readonly unmatched: UnmatchedRecord[];
  /** In input order (of the superseded record); empty unless reported records are retained. */
  readonly duplicates: DuplicateRecord[];
  readonly unmatchedCount: number;
  readonly duplicateCount: number;
}

export interface RecordMatcher {
  add(record: unknown): void;
  finish(): RecordMatches;
  /**
   * After `finish()`, for a record seen again at its position: its `unmatched_records` entry, or
   * undefined when it matched a task. With the entry `record`-less, as the caller has the record.
   */
  unmatchedEntry(record: unknown, recordIndex: number): Omit<UnmatchedRecord, 'record'> | undefined;
  /** After `finish()`, for a record seen again at its position: its `duplicate_records` entry, or undefined when it was not superseded. */
  duplicateEntry(record: unknown, recordIndex: number): Omit<DuplicateRecord, 'record'> | undefined;
}

/** Record fields tried in order against task ids; `group_key` is tried last, against task group keys. */
const ID_FIELDS = ['task_id', 'id', 'sandbox_session_id'] as const;

/**
 * Matches records to tasks, one record at a time. A record's `task_id`, `id` and
 * `sandbox_session_id` are looked up among the tasks' `task_id`/`id`/`sandbox_session_id`, then
 * its `group_key` among the tasks' group keys; the first key that names exactly one task wins.
 * When several records match one task the last one is kept (a later report supersedes an earlier
 * one) and the others are listed as duplicates. Nothing is dropped silently.
 *
 * With `retainReported: false` unmatched and superseded records are only counted, so memory is
 * bounded by the tasks whatever the number of records; a caller that can read the records again
 * (a file) lists them with `unmatchedEntry` and `duplicateEntry`, which decide each record the
 * same way from the final matches.
 */
export function createRecordMatcher(index: PlanTaskIndex, identities: readonly TaskIdentity[], { retainReported = true }: { readonly retainReported?: boolean } = {}): RecordMatcher {
  const byTask = new Array<JsonObject | undefined>(identities.length).fill(undefined);
  const keptAt = new Array<number>(identities.length).fill(-1);
  const unmatched: UnmatchedRecord[] = [];
  const superseded: { recordIndex: number; task: number; record: JsonObject }[] = [];
  let unmatchedCount = 0;
  let duplicateCount = 0;
  let recordIndex = 0;
  const taskOf = (record: unknown): number | UnmatchedReason => (isPlainObject(record) ? findTask(record, index) : 'not_an_object');

  return {
    add(record) {
      const at = recordIndex++;
      const found = taskOf(record);
      if (typeof found === 'string') {
        unmatchedCount++;
        if (retainReported) unmatched.push({ record_index: at, reason: found, record });
        return;
      }
      const previous = byTask[found];
      if (previous !== undefined) {
        duplicateCount++;
        if (retainReported) superseded.push({ recordIndex: keptAt[found] ?? -1, task: found, record: previous });
      }
      byTask[found] = record as JsonObject;
      keptAt[found] = at;
    },
    finish() {
      superseded.sort((a, b) => a.recordIndex - b.recordIndex);
      const duplicates = superseded.map(({ recordIndex: at, task, record }) => ({ record_index: at, task_id: identities[task]?.key ?? '', kept_record_index: keptAt[task] ?? -1, record }));
      return { byTask, unmatched, duplicates, unmatchedCount, duplicateCount };
    },
    unmatchedEntry(record, at) {
      const found = taskOf(record);
      return typeof found === 'string' ? { record_index: at, reason: found } : undefined;
    },
    duplicateEntry(record, at) {
      const found = taskOf(record);
      if (typeof found === 'string' || keptAt[found] === at) return undefined;
      return { record_index: at, task_id: identities[found]?.key ?? '', kept_record_index: keptAt[found] ?? -1 };
    },
  };
}

/** Matches a whole array of records (see `createRecordMatcher`). */
export function matchRecords(records: readonly unknown[], index: PlanTaskIndex, identities: readonly TaskIdentity[]): RecordMatches {
  const matcher = createRecordMatcher(index, identities);
  for (const record of records) matcher.add(record);
  return matcher.finish();
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
