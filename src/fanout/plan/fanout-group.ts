import type { GroupTemplateFieldName } from '../template/group-template-field.js';
import { isPlainObject, type JsonObject } from '../../util/is-plain-object.js';

/**
 * A group as the planner sees it: the key, its position, and its normalised items (each with
 * `index` set). Plans only carry `{key, index, item_count}`; item payloads reach task requests
 * through templates such as `{{group.items}}`.
 */
export interface FanoutGroup {
  readonly key: string;
  readonly index: number;
  readonly items: readonly JsonObject[];
  /**
   * Set by the streaming planner when no template reads the items themselves: the item count and
   * the derived fields the templates do read (`item_ids`, ...), computed as items went by, so the
   * items were never kept. `items` is then empty.
   */
  readonly derived?: Readonly<Partial<Record<GroupTemplateFieldName, unknown>>>;
}

export function isFanoutGroup(value: unknown): value is FanoutGroup {
  return isPlainObject(value) && typeof value['key'] === 'string' && Array.isArray(value['items']);
}

/** How many items the group has, whether it kept them or only counted them. */
export function groupItemCount(group: FanoutGroup): number {
  const count = group.derived?.item_count;
  return typeof count === 'number' ? count : group.items.length;
}
