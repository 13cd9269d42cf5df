import type { FanoutGroup } from './fanout-group.js';
import { groupByKey } from './group-by-key.js';
import type { JsonObject } from './is-plain-object.js';
import { itemGroupKey } from './item-group-key.js';

/** Groups normalised items by key: groups in order of first appearance, items in input order. */
export function groupItems(items: readonly JsonObject[], keyPaths: readonly (readonly string[])[]): FanoutGroup[] {
  return groupByKey(items, (item) => itemGroupKey(item, keyPaths));
}
