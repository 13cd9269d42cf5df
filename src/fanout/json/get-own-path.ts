/**
 * Walks `segments` through own properties only, so `constructor`, `__proto__` or `toString` never
 * leak out of a template or a key path (the reference walked the prototype chain). Strings
 * expose their own `length` and indexes; anything else that is not an object ends the walk.
 */
export function getOwnPath(value: unknown, segments: readonly string[]): unknown {
  let current = value;
  for (const segment of segments) {
    if (current === null || current === undefined) return undefined;
    if (typeof current === 'object') {
      if (!Object.hasOwn(current, segment)) return undefined;
      current = (current as Record<string, unknown>)[segment];
    } else if (typeof current === 'string') {
      if (!Object.hasOwn(Object(current), segment)) return undefined;
      current = (current as unknown as Record<string, unknown>)[segment];
    } else {
      return undefined;
    }
  }
  return current;
}
