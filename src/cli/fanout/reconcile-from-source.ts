import { InputError } from '../../errors/input-error.js';
import type { FanoutSources } from '../../fanout/config/fanout-sources.js';
import { createFanoutReconciler, type DuplicateRecord, type FanoutResult, type UnmatchedRecord } from '../../fanout/reconcile/index.js';
import type { StatusMapping } from '../../fanout/schemas/fanout-config-keys.js';
import type { JsonObject } from '../../util/is-plain-object.js';
import type { ObjectListSource } from './read-object-list.js';

/**
 * Reconciles records as they come off their source, keeping only the last record per task. From
 * a JSON Lines file, unmatched and superseded records are not kept either: the result lists them
 * lazily, reading the file again (only if there are any) while the result is written, so memory
 * is bounded by the plan's tasks whatever the size of the records file.
 */
export async function reconcileFromSource(config: JsonObject, plan: unknown, records: ObjectListSource, options: { readonly sources: FanoutSources; readonly defaultStatusMapping?: StatusMapping }): Promise<FanoutResult> {
  const reconciler = createFanoutReconciler({ config, plan }, { ...options, retainReported: !records.rereadable });
  let count = 0;
  for await (const batch of records.batches()) {
    for (const record of batch) reconciler.add(record);
    count += batch.length;
  }
  const result = reconciler.finish();
  if (!records.rereadable) return result;
  const file = options.sources.records ?? 'records';
  const { unmatched_count: unmatched, duplicate_count: duplicates } = result.reconciliation;
  return {
    ...result,
    unmatched_records: (unmatched === 0 ? [] : readAgain(records, count, file, reconciler.unmatchedEntry)) as UnmatchedRecord[],
    duplicate_records: (duplicates === 0 ? [] : readAgain(records, count, file, reconciler.duplicateEntry)) as DuplicateRecord[],
  };
}

/**
 * The records file read again, yielding the entry `entryOf` gives for each record (with the
 * record), in file order: written lazily, so no reported record is ever held.
 */
function readAgain<T extends object>(source: ObjectListSource, count: number, file: string, entryOf: (record: JsonObject, recordIndex: number) => T | undefined): AsyncIterable<T & { record: JsonObject }> {
  return {
    async *[Symbol.asyncIterator]() {
      let at = 0;
      for await (const batch of source.batches()) {
        for (const record of batch) {
          const entry = entryOf(record, at++);
          if (entry !== undefined) yield { ...entry, record };
        }
      }
      if (at !== count) throw new InputError(`changed while being read: ${count} records the first time, ${at} the second`, { file });
    },
  };
}
