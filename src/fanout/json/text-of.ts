/**
 * The reference's notion of "text": a trimmed string, or a finite number as a string. Anything
 * else (booleans, objects, null) is "" so it can never act as a key or an id.
 */
export function textOf(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return '';
}
