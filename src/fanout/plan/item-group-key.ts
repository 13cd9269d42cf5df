import { getOwnPath } from '../json/get-own-path.js';
import type { JsonObject } from '../../util/is-plain-object.js';
import { textOf } from '../json/text-of.js';

/**
 * The group key of one item: the non-empty values at the key paths joined with ":" (one path is
 * just its value), else `groupKey`, `kind`, `id`, else "default".
 */
export function itemGroupKey(item: JsonObject, keyPaths: readonly (readonly string[])[]): string {
  let key = '';
  for (const path of keyPaths) {
    const part = textOf(getOwnPath(item, path));
    if (part !== '') key = key === '' ? part : `${key}:${part}`;
  }
  if (key !== '') return key;
  return textOf(ownField(item, 'groupKey')) || textOf(ownField(item, 'kind')) || textOf(ownField(item, 'id')) || 'default';
}

function ownField(item: JsonObject, key: string): unknown {
  return Object.hasOwn(item, key) ? item[key] : undefined;
}
