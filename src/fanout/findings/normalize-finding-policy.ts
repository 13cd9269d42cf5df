import type { FanoutSources } from '../config/fanout-sources.js';
import { sourceName } from '../config/fanout-sources.js';
import { defineFindingPolicySchema } from '../schemas/define-finding-policy-schema.js';
import { isFindingPolicy } from '../schemas/is-finding-policy.js';
import { checkWithSchema } from '../../util/check-with-schema.js';
import type { JsonObject } from '../../util/is-plain-object.js';

/** A finding-packet policy with aliases resolved and defaults applied (snake_case, as the reference returns it). */
export interface FindingPolicy {
  readonly packet_id_path: string;
  readonly findings_path: string;
  readonly finding_id_path: string;
  readonly group_by: readonly string[];
  readonly group_key_template: string;
  readonly fallback_group_key: string;
  readonly include_packet: boolean;
}

export const DEFAULT_FINDING_GROUP_BY: readonly string[] = Object.freeze(['finding.type', 'finding.severity']);

/**
 * Validates and normalises a policy (raw or already normalised). `group_by` may be one path or an
 * array; an empty array means the default, `["finding.type", "finding.severity"]`.
 */
export function normalizeFindingPolicy(policy: unknown = {}, sources?: FanoutSources): FindingPolicy {
  const raw = (policy ?? {}) as JsonObject;
  checkWithSchema(isFindingPolicy, defineFindingPolicySchema, raw, sourceName(sources, 'policy'));
  const groupBy = first(raw, ['group_by', 'groupBy', 'group_key_paths', 'groupKeyPaths']) as string | string[] | undefined;
  const paths = typeof groupBy === 'string' ? [groupBy] : (groupBy ?? []);
  return {
    packet_id_path: (first(raw, ['packet_id_path', 'packetIdPath']) as string | undefined) ?? 'id',
    findings_path: (first(raw, ['findings_path', 'findingsPath']) as string | undefined) ?? 'findings',
    finding_id_path: (first(raw, ['finding_id_path', 'findingIdPath']) as string | undefined) ?? 'id',
    group_by: paths.length > 0 ? [...paths] : [...DEFAULT_FINDING_GROUP_BY],
    group_key_template: ((first(raw, ['group_key_template', 'groupKeyTemplate']) as string | undefined) ?? '').trim(),
    fallback_group_key: (first(raw, ['fallback_group_key', 'fallbackGroupKey']) as string | undefined) || 'default',
    include_packet: raw['include_packet'] !== false,
  };
}

function first(raw: JsonObject, keys: readonly string[]): unknown {
  for (const key of keys) {
    if (Object.hasOwn(raw, key) && raw[key] !== undefined) return raw[key];
  }
  return undefined;
}
