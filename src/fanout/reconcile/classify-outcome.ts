import { getOwnPath } from '../json/get-own-path.js';
import { isPlainObject, type JsonObject } from '../../util/is-plain-object.js';
import { parseDotPath } from '../json/parse-dot-path.js';
import { textOf } from '../json/text-of.js';

/**
 * What a caller does next with a task's result (Homeboy's apply/reject/retry reconciliation):
 * - `apply`: a change came back to be applied (or merged, or kept);
 * - `review`: a person should look (the agent could not remediate, asked for review, or failed);
 * - `retry`: worth running again (provider error, timeout, cancelled, no record at all);
 * - `report`: nothing to apply, the result is the report (rejected, a false positive, a follow-up
 *   issue, or a success that changed nothing).
 */
export const OUTCOME_CLASSES = ['apply', 'review', 'retry', 'report'] as const;
export type OutcomeClass = (typeof OUTCOME_CLASSES)[number];

/** Status words (the provider outcome, else the record status) and their class, after Homeboy #3212. */
const DEFAULT_MAP: Readonly<Record<string, OutcomeClass>> = {
  succeeded: 'apply',
  completed: 'apply',
  success: 'apply',
  passed: 'apply',
  accepted: 'apply',
  approved: 'apply',
  rejected: 'report',
  false_positive: 'report',
  follow_up_issue: 'report',
  wont_fix: 'report',
  provider_error: 'retry',
  timeout: 'retry',
  cancelled: 'retry',
  candidate_recoverable: 'retry',
  missing_record: 'retry',
  no_op: 'review',
  unable_to_remediate: 'review',
  needs_review: 'review',
  failed: 'review',
};

/** Fields listing what a task changed; an empty list means it changed nothing. */
const CHANGE_LISTS: readonly (readonly string[])[] = [['files_changed'], ['changed_files'], ['outcome', 'files_changed'], ['outcome', 'changed_files'], ['outcome', 'handoff', 'filesTouched']];

export interface OutcomeClassPolicy {
  readonly map: ReadonlyMap<string, OutcomeClass>;
  readonly classPath: readonly string[];
  readonly noChangePaths: readonly (readonly string[])[];
  readonly success: OutcomeClass;
  readonly failure: OutcomeClass;
  readonly noChange: OutcomeClass;
}

export interface OutcomeClassConfig {
  readonly map?: Readonly<Record<string, OutcomeClass>>;
  readonly class_path?: string;
  readonly no_change_path?: string;
  readonly success?: OutcomeClass;
  readonly failure?: OutcomeClass;
  readonly no_change?: OutcomeClass;
}

/** The config's `outcome_classes` (already schema-checked) over the defaults. */
export function compileOutcomeClasses(config: OutcomeClassConfig | undefined): OutcomeClassPolicy {
  const map = new Map(Object.entries(DEFAULT_MAP));
  for (const [status, outcomeClass] of Object.entries(config?.map ?? {})) map.set(status.trim(), outcomeClass);
  return {
    map,
    classPath: parseDotPath(config?.class_path ?? 'outcome.class'),
    noChangePaths: config?.no_change_path === undefined ? [['no_change'], ['outcome', 'no_change']] : [parseDotPath(config.no_change_path)],
    success: config?.success ?? 'apply',
    failure: config?.failure ?? 'review',
    noChange: config?.no_change ?? 'report',
  };
}

export interface ClassifiedOutcome {
  readonly outcomeClass: OutcomeClass;
  /** Why a successful task counts as having changed nothing (`already-done`, `analysis-only`, or the record's own word). */
  readonly noChange: string | undefined;
}

/**
 * Classifies one planned task's final record (after the status mapping; `missing_record` for a
 * task without one). In order: a class the record names itself (`outcome.class`); a success that
 * changed nothing; the status word (provider outcome, else status) through the map; else the
 * success or failure fallback.
 */
export function classifyOutcome(record: JsonObject, success: boolean, policy: OutcomeClassPolicy): ClassifiedOutcome {
  const noChange = success ? noChangeReason(record, policy) : undefined;
  const named = textOf(getOwnPath(record, policy.classPath));
  if (isOutcomeClass(named)) return { outcomeClass: named, noChange };
  const word = statusWord(record);
  const mapped = policy.map.get(word);
  if (noChange !== undefined) return { outcomeClass: word === 'no_op' && mapped !== undefined ? mapped : policy.noChange, noChange };
  if (mapped !== undefined && (mapped !== 'apply' || success)) return { outcomeClass: mapped, noChange };
  return { outcomeClass: success ? policy.success : policy.failure, noChange };
}

function noChangeReason(record: JsonObject, policy: OutcomeClassPolicy): string | undefined {
  for (const path of policy.noChangePaths) {
    const value = getOwnPath(record, path);
    if (value === true) return 'no-change';
    const text = textOf(value);
    if (text !== '') return text;
  }
  if (statusWord(record) === 'no_op') return 'already-done';
  for (const path of CHANGE_LISTS) {
    const list = getOwnPath(record, path);
    if (Array.isArray(list) && list.length === 0) return 'analysis-only';
  }
  return undefined;
}

/** The provider outcome (`outcome.status`, `outcome_status`, `provider_status`), else the record status (else `state`). */
function statusWord(record: JsonObject): string {
  const outcome = Object.hasOwn(record, 'outcome') ? record['outcome'] : undefined;
  const provider = (isPlainObject(outcome) ? textOf(getOwnPath(outcome, ['status'])) : '') || textOf(getOwnPath(record, ['outcome_status'])) || textOf(getOwnPath(record, ['provider_status']));
  return provider || textOf(getOwnPath(record, ['status'])) || textOf(getOwnPath(record, ['state']));
}

function isOutcomeClass(value: string): value is OutcomeClass {
  return (OUTCOME_CLASSES as readonly string[]).includes(value);
}
