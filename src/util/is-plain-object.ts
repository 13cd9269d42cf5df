export type JsonObject = Record<string, unknown>;

/** True for a non-null, non-array object: the only shape whose fields we read or spread. */
export function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
