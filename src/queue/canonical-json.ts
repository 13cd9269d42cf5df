/**
 * JSON with object keys sorted recursively, so equal values give equal strings (used for dedup).
 * A value with `toJSON` (a `Date` in a library caller's inputs) counts as what JSON makes of it, as
 * the queue keeps it: the inputs a caller passes and the copy the task holds give the same string.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  const { toJSON } = value as { toJSON?: unknown };
  if (typeof toJSON === 'function') return sortKeys((toJSON as () => unknown).call(value));
  if (Array.isArray(value)) return value.map(sortKeys);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const sorted = sortKeys((value as Record<string, unknown>)[key]);
    // An own `__proto__` key (JSON.parse makes one from an agent's inputs) stays a key, never the copy's prototype.
    if (key === '__proto__') Object.defineProperty(out, key, { value: sorted, enumerable: true, writable: true, configurable: true });
    else out[key] = sorted;
  }
  return out;
}
