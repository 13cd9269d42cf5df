import { isPlainObject, type JsonObject } from './is-plain-object.js';

/**
 * A group as the planner sees it: the key, its position, and its normalised items (each a
 * shallow copy with `index` set). Plans only carry `{key, index, item_count}`; item payloads reach
 * task requests through templates such as `{{group.items}}`.
 */
export interface FanoutGroup {
  readonly key: string;
  readonly index: number;
  readonly items: readonly JsonObject[];
}

export function isFanoutGroup(value: unknown): value is FanoutGroup {
  return isPlainObject(value) && typeof value['key'] === 'string' && Array.isArray(value['items']);
}
