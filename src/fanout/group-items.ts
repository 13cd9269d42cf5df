import type { FanoutGroup } from './fanout-group.js';
import type { JsonObject } from './is-plain-object.js';
import { itemGroupKey } from './item-group-key.js';

/** Groups normalised items by key: groups in order of first appearance, items in input order. */
export function groupItems(items: readonly JsonObject[], keyPaths: readonly (readonly string[])[]): FanoutGroup[] {
  const byKey = new Map<string, JsonObject[]>();
  for (const item of items) {
    const key = itemGroupKey(item, keyPaths);
    const members = byKey.get(key);
    if (members === undefined) byKey.set(key, [item]);
    else members.push(item);
  }
  const groups: FanoutGroup[] = [];
  for (const [key, members] of byKey) groups.push({ key, index: groups.length, items: members });
  return groups;
}
