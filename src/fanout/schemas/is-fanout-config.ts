import { hasOnlyKeys, hasOptionalFields, isArrayOf, isJsonObject, isNumber, isRecordOf, isString } from '../../util/shape-checks.js';
import { OUTCOME_CLASSES, RESULT_OWNED_KEYS, STATUS_MAPPINGS } from './fanout-config-keys.js';
import { isFindingPolicy } from './is-finding-policy.js';

type Check = (value: unknown) => boolean;

const isText: Check = (value) => isString(value);
const isDotPath: Check = (value) => isString(value, true);
const isGroupKeyPath: Check = (value) => isDotPath(value) || isArrayOf(value, isDotPath, 1);
const isTextKey: Check = (value) => isString(value) || isNumber(value);
const isUnknownArray: Check = (value) => isArrayOf(value, () => true);
const isRuntime: Check = (value) => value === null || isString(value) || isJsonObject(value) || isUnknownArray(value);
const isStatusMapping: Check = (value) => (STATUS_MAPPINGS as readonly unknown[]).includes(value);
const isOutcomeClass: Check = (value) => (OUTCOME_CLASSES as readonly unknown[]).includes(value);

const OUTCOME_CLASS_FIELDS: Record<string, Check> = {
  map: (value) => isRecordOf(value, isOutcomeClass),
  class_path: isDotPath,
  no_change_path: isDotPath,
  success: isOutcomeClass,
  failure: isOutcomeClass,
  no_change: isOutcomeClass,
};
const OUTCOME_CLASS_KEYS: ReadonlySet<string> = new Set(Object.keys(OUTCOME_CLASS_FIELDS));

const isGroup: Check = (value) => isJsonObject(value) && hasOptionalFields(value, { key: isTextKey, group_key: isTextKey, id: isTextKey, items: isUnknownArray });
const isBaseRun: Check = (value) => isJsonObject(value) && RESULT_OWNED_KEYS.every((key) => !Object.hasOwn(value, key));

/** The fields `defineFanoutConfigSchema` checks, and their fast checks. */
const FIELDS: Record<string, Check> = {
  schema: isText,
  orchestrator: isJsonObject,
  items: isUnknownArray,
  groups: (value) => isArrayOf(value, isGroup),
  group_key_path: isGroupKeyPath,
  groupKeyPath: isGroupKeyPath,
  group_by: isGroupKeyPath,
  groupBy: isGroupKeyPath,
  task_request_template: isJsonObject,
  taskRequestTemplate: isJsonObject,
  runtime: isRuntime,
  runtime_execution: isRuntime,
  runtimeExecution: isRuntime,
  executor: isRuntime,
  plan_schema: isText,
  planSchema: isText,
  summary: isJsonObject,
  reconciliation_schema: isText,
  reconciliationSchema: isText,
  success_statuses: (value) => isArrayOf(value, isDotPath),
  outcome_path: isDotPath,
  outcomePath: isDotPath,
  result_schema: isText,
  resultSchema: isText,
  base_run: isBaseRun,
  include_summary: (value) => typeof value === 'boolean',
  concurrency: isTextKey,
  outcome_classes: (value) => isJsonObject(value) && hasOnlyKeys(value, OUTCOME_CLASS_KEYS) && hasOptionalFields(value, OUTCOME_CLASS_FIELDS),
  status_mapping: isStatusMapping,
  statusMapping: isStatusMapping,
  finding_policy: isFindingPolicy,
  findingPolicy: isFindingPolicy,
  packets: isUnknownArray,
  finding_packets: isUnknownArray,
};

/**
 * The fast, zod-free check of a fanout config: true only for what `defineFanoutConfigSchema`
 * accepts (`checkWithSchema` asks zod about the rest, to accept it or word the error;
 * `is-fanout-config.test.ts` proves the two agree).
 */
export function isFanoutConfig(value: unknown): boolean {
  return isJsonObject(value) && hasOptionalFields(value, FIELDS);
}
