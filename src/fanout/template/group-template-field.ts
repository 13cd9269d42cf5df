import { groupItemCount, type FanoutGroup } from '../plan/fanout-group.js';
import type { JsonObject } from '../../util/is-plain-object.js';
import { textOf } from '../json/text-of.js';

export type GroupTemplateFieldName = 'item_count' | 'item_ids' | 'packet_ids' | 'finding_ids';

/** The derived `{{group.<name>}}` values that are computed from the items rather than stored. */
export const GROUP_TEMPLATE_FIELDS: ReadonlySet<string> = new Set<GroupTemplateFieldName>(['item_count', 'item_ids', 'packet_ids', 'finding_ids']);

export function isGroupTemplateField(name: string): name is GroupTemplateFieldName {
  return GROUP_TEMPLATE_FIELDS.has(name);
}

/**
 * Computes a derived group field (or returns the one the streaming planner computed). Items
 * without an id fall back to their 1-based position, as the reference does, so `item_ids`
 * always has one entry per item.
 */
export function groupTemplateField(group: FanoutGroup, name: string): unknown {
  if (!isGroupTemplateField(name)) return undefined;
  const derived = group.derived?.[name];
  if (derived !== undefined) return derived;
  const items = group.items;
  switch (name) {
    case 'item_count':
      return groupItemCount(group);
    case 'item_ids':
      return items.map(itemIdOf);
    case 'finding_ids':
      return items.map(findingIdOf);
    case 'packet_ids': {
      const seen = new Set<string>();
      for (const item of items) addPacketId(seen, item);
      return [...seen];
    }
  }
}

/** One entry of `item_ids`: `id`, else `key`, else the item's 1-based position. */
export function itemIdOf(item: JsonObject, position: number): string {
  return textOf(item['id']) || textOf(item['key']) || ordinal(item, position);
}

/** One entry of `finding_ids`: `finding_id`, else `id`, else the item's 1-based position. */
export function findingIdOf(item: JsonObject, position: number): string {
  return textOf(item['finding_id']) || textOf(item['id']) || ordinal(item, position);
}

/** Adds the item's `packet_id` (when it has one) to the group's set of packet ids. */
export function addPacketId(seen: Set<string>, item: JsonObject): void {
  const id = textOf(item['packet_id']);
  if (id !== '') seen.add(id);
}

function ordinal(item: JsonObject, position: number): string {
  const index = item['index'];
  return String((typeof index === 'number' && Number.isInteger(index) ? index : position) + 1);
}
