import { InputError } from '../../errors/input-error.js';
import { describeValue } from '../../util/describe-value.js';
import { jsonPath } from '../../util/json-path.js';
import type { FanoutGroup } from './fanout-group.js';
import { isPlainObject } from '../../util/is-plain-object.js';
import { normalizeItem } from './normalize-item.js';
import { textOf } from '../json/text-of.js';

/**
 * Turns caller-supplied groups into planner groups. Each key is the first non-empty of `key`,
 * `group_key`, `id`, else `group-<n>`. Keys must be unique: records can match a task by
 * `group_key`, and two groups with one key would make that match ambiguous.
 */
export function normalizeExplicitGroups(groups: readonly unknown[], source: string): FanoutGroup[] {
  const firstIndexByKey = new Map<string, number>();
  return groups.map((group, index) => {
    if (!isPlainObject(group)) throw new InputError(`expected object, got ${describeValue(group)}`, { file: source, jsonPath: jsonPath(['groups', index]) });
    const items = group['items'];
    if (items !== undefined && !Array.isArray(items)) throw new InputError(`expected array, got ${describeValue(items)}`, { file: source, jsonPath: jsonPath(['groups', index, 'items']) });
    const key = textOf(group['key']) || textOf(group['group_key']) || textOf(group['id']) || `group-${index + 1}`;
    const first = firstIndexByKey.get(key);
    if (first !== undefined) throw new InputError(`duplicate group key "${key}" (also ${jsonPath(['groups', first])})`, { file: source, jsonPath: jsonPath(['groups', index]) });
    firstIndexByKey.set(key, index);
    return { key, index, items: (items ?? []).map((item: unknown, position: number) => normalizeItem(item, position, false)) };
  });
}
