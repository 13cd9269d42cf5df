import type { FanoutGroup } from './fanout-group.js';
import type { JsonObject } from '../../util/is-plain-object.js';

/** One pass through a Map: groups in order of first appearance, items in input order. */
export function groupByKey(items: Iterable<JsonObject>, keyOf: (item: JsonObject) => string): FanoutGroup[] {
  const byKey = new Map<string, JsonObject[]>();
  for (const item of items) {
    const key = keyOf(item);
    const members = byKey.get(key);
    if (members === undefined) byKey.set(key, [item]);
    else members.push(item);
  }
  const groups: FanoutGroup[] = [];
  for (const [key, members] of byKey) groups.push({ key, index: groups.length, items: members });
  return groups;
}
