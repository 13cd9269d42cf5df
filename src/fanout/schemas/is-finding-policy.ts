import { hasOptionalFields, isArrayOf, isJsonObject, isString } from '../../util/shape-checks.js';

const isDotPath = (value: unknown): boolean => isString(value, true);
const isPathList = (value: unknown): boolean => isDotPath(value) || isArrayOf(value, isDotPath);
const isText = (value: unknown): boolean => isString(value);

/** The fields `defineFindingPolicySchema` checks, and their fast checks. */
const FIELDS = {
  packet_id_path: isDotPath,
  packetIdPath: isDotPath,
  findings_path: isDotPath,
  findingsPath: isDotPath,
  finding_id_path: isDotPath,
  findingIdPath: isDotPath,
  group_by: isPathList,
  groupBy: isPathList,
  group_key_paths: isPathList,
  groupKeyPaths: isPathList,
  group_key_template: isText,
  groupKeyTemplate: isText,
  fallback_group_key: isText,
  fallbackGroupKey: isText,
  include_packet: (value: unknown): boolean => typeof value === 'boolean',
};

/**
 * The fast, zod-free check of a finding policy: true only for what `defineFindingPolicySchema`
 * accepts (`checkWithSchema` asks zod about the rest; `is-finding-policy.test.ts` proves it).
 */
export function isFindingPolicy(value: unknown): boolean {
  return isJsonObject(value) && hasOptionalFields(value, FIELDS);
}
