import { createFindingGroupKeyer } from './create-finding-group-keyer.js';
import type { FanoutGroup } from './fanout-group.js';
import type { FanoutSources } from './fanout-sources.js';
import { isPlainObject, type JsonObject } from './is-plain-object.js';
import { normalizeFindingPolicy } from './normalize-finding-policy.js';
import { textOf } from './text-of.js';

/**
 * Groups finding items by their `group_key` (computed from the policy when an item has none):
 * groups in order of first appearance, items in input order.
 */
export function groupFindingPacketItems(items: readonly unknown[], policy: unknown = {}, sources?: FanoutSources): FanoutGroup[] {
  const groupKey = createFindingGroupKeyer(normalizeFindingPolicy(policy, sources));
  const byKey = new Map<string, JsonObject[]>();
  for (const raw of items) {
    const item = isPlainObject(raw) ? raw : { value: raw };
    const key = textOf(item['group_key']) || groupKey(Object.hasOwn(item, 'finding') ? { packet: item['packet'], finding: item['finding'] } : { packet: item, finding: item });
    const members = byKey.get(key);
    if (members === undefined) byKey.set(key, [item]);
    else members.push(item);
  }
  const groups: FanoutGroup[] = [];
  for (const [key, members] of byKey) groups.push({ key, index: groups.length, items: members });
  return groups;
}
