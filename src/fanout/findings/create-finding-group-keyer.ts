import { compileTemplate } from '../template/compile-template.js';
import { getOwnPath } from '../json/get-own-path.js';
import type { JsonObject } from '../../util/is-plain-object.js';
import type { FindingPolicy } from './normalize-finding-policy.js';
import { parseDotPath } from '../json/parse-dot-path.js';
import { textOf } from '../json/text-of.js';

/**
 * Returns the function that names a finding's group from `{packet, finding}`: the rendered
 * `group_key_template` when set (text or a number; anything else falls back), else the
 * non-empty values at the `group_by` paths joined with ":", else `fallback_group_key`.
 * Paths are literal: `finding.type` reads `type`, never `kind`.
 */
export function createFindingGroupKeyer(policy: FindingPolicy): (context: { packet: unknown; finding: unknown }) => string {
  if (policy.group_key_template !== '') {
    const template = compileTemplate(policy.group_key_template);
    return (context) => textOf(template(context)) || policy.fallback_group_key;
  }
  const paths = policy.group_by.map(parseDotPath);
  return (context) => {
    let key = '';
    for (const path of paths) {
      const part = textOf(getOwnPath(context as JsonObject, path));
      if (part !== '') key = key === '' ? part : `${key}:${part}`;
    }
    return key || policy.fallback_group_key;
  };
}
