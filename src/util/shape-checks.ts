import type { JsonObject } from './is-plain-object.js';

/**
 * Small checks for the fast, zod-free validators (`checkWithSchema`). Each is at most as lenient
 * as the zod type it mirrors, so a value they accept zod accepts too; where they are stricter
 * (class instances, symbol keys, sparse arrays), zod is asked and decides.
 */

/** An object zod reads as an object or a record: not an array, prototype `Object.prototype` or none. */
export function isJsonObject(value: unknown): value is JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/** `z.string()`, or `z.string().min(1)` with `nonEmpty`. */
export function isString(value: unknown, nonEmpty = false): value is string {
  return typeof value === 'string' && (!nonEmpty || value.length > 0);
}

/** `z.number()`: finite only. */
export function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** `z.number().int()`, with an optional `.min(min)`. */
export function isInteger(value: unknown, min = Number.MIN_SAFE_INTEGER): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min;
}

/** `z.array(item)`, with an optional `.min(minLength)`; holes are left to zod. */
export function isArrayOf(value: unknown, item: (element: unknown) => boolean, minLength = 0): value is unknown[] {
  if (!Array.isArray(value) || value.length < minLength) return false;
  for (let index = 0; index < value.length; index += 1) {
    if (!(index in value) || !item(value[index])) return false;
  }
  return true;
}

/** A record whose keys are all plain enumerable strings (what `z.record(z.string(), …)` iterates), each value passing `item`. */
export function isRecordOf(value: unknown, item: (element: unknown) => boolean): value is JsonObject {
  if (!isJsonObject(value)) return false;
  const keys = Object.keys(value);
  if (Reflect.ownKeys(value).length !== keys.length) return false;
  for (const key of keys) {
    // zod's record skips a `__proto__` key (JSON.parse makes it an own property) without checking it.
    if (key !== '__proto__' && !item(value[key])) return false;
  }
  return true;
}

/** A `z.strictObject`'s key rule: only these own, enumerable string keys. */
export function hasOnlyKeys(value: JsonObject, keys: ReadonlySet<string>): boolean {
  const own = Object.keys(value);
  if (Reflect.ownKeys(value).length !== own.length) return false;
  return own.every((key) => keys.has(key));
}

/** Each of `checks`' keys is absent (or undefined) or passes its check: a loose object's optional fields. */
export function hasOptionalFields(value: JsonObject, checks: Readonly<Record<string, (field: unknown) => boolean>>): boolean {
  for (const key in checks) {
    const field = value[key];
    if (field !== undefined && !checks[key]!(field)) return false;
  }
  return true;
}
