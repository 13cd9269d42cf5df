import { isPlainObject, type JsonObject } from '../../util/is-plain-object.js';

/**
 * Gives an item its position as `index` (overwriting a field of that name, as the reference
 * does, because plan consumers read it). An object is shallow-copied unless `inPlace` (the caller
 * handed it over, or it is not kept at all); anything else, arrays included, is wrapped as
 * `{value, index}` so templates always see objects.
 */
export function normalizeItem(item: unknown, index: number, inPlace: boolean): JsonObject {
  if (!isPlainObject(item)) return { value: item, index };
  if (inPlace) {
    item['index'] = index;
    return item;
  }
  // Object.assign is several times faster than spread here, but it would run the __proto__
  // setter for an own "__proto__" key (parsed JSON can have one), so that rare case spreads.
  const copy: JsonObject = Object.hasOwn(item, '__proto__') ? { ...item } : Object.assign({}, item);
  copy['index'] = index;
  return copy;
}
