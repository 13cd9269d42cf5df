/**
 * Sets `key` as an own data property. Plain assignment of `__proto__` would replace the object's
 * prototype instead, which a template or record key must never be able to do.
 */
export function setOwnProperty(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  else target[key] = value;
}
