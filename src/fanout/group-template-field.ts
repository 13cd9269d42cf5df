import type { FanoutGroup } from './fanout-group.js';
import type { JsonObject } from './is-plain-object.js';
import { textOf } from './text-of.js';

/** The derived `{{group.<name>}}` values that are computed from the items rather than stored. */
export const GROUP_TEMPLATE_FIELDS: ReadonlySet<string> = new Set(['item_count', 'item_ids', 'packet_ids', 'finding_ids']);

/**
 * Computes a derived group field. Items without an id fall back to their 1-based position, as
 * the reference does, so `item_ids` always has one entry per item.
 */
export function groupTemplateField(group: FanoutGroup, name: string): unknown {
  const items = group.items;
  switch (name) {
    case 'item_count':
      return items.length;
    case 'item_ids':
      return items.map((item, position) => textOf(item['id']) || textOf(item['key']) || ordinal(item, position));
    case 'finding_ids':
      return items.map((item, position) => textOf(item['finding_id']) || textOf(item['id']) || ordinal(item, position));
    case 'packet_ids': {
      const seen = new Set<string>();
      for (const item of items) {
        const id = textOf(item['packet_id']);
        if (id !== '') seen.add(id);
      }
      return [...seen];
    }
    default:
      return undefined;
  }
}

function ordinal(item: JsonObject, position: number): string {
  const index = item['index'];
  return String((typeof index === 'number' && Number.isInteger(index) ? index : position) + 1);
}
