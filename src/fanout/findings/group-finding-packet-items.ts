import { createFindingGroupKeyer } from './create-finding-group-keyer.js';
import type { FanoutGroup } from '../plan/fanout-group.js';
import type { FanoutSources } from '../config/fanout-sources.js';
import { groupByKey } from '../plan/group-by-key.js';
import { isPlainObject, type JsonObject } from '../../util/is-plain-object.js';
import { normalizeFindingPolicy } from './normalize-finding-policy.js';
import { textOf } from '../json/text-of.js';

/**
 * Groups finding items by their `group_key` (computed from the policy when an item has none):
 * groups in order of first appearance, items in input order.
 */
export function groupFindingPacketItems(items: readonly unknown[], policy: unknown = {}, sources?: FanoutSources): FanoutGroup[] {
  const groupKey = createFindingGroupKeyer(normalizeFindingPolicy(policy, sources));
  const objects = items.map((raw): JsonObject => (isPlainObject(raw) ? raw : { value: raw }));
  return groupByKey(objects, (item) => textOf(item['group_key']) || groupKey(Object.hasOwn(item, 'finding') ? { packet: item['packet'], finding: item['finding'] } : { packet: item, finding: item }));
}
