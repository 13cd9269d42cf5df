import type { z } from 'zod';
import { loadZod, type Zod } from './load-zod.js';
import { parseWithSchema } from './parse-with-schema.js';

const schemas = new Map<(z: Zod) => z.ZodType, z.ZodType>();

/**
 * Validates `value` at an edge without loading zod when it is valid. `accepts` is a fast check
 * that accepts only what the zod schema accepts (a property test proves it for each pair); when it
 * says no, the schema is built from `define` with a lazily loaded zod and decides: it throws the
 * usual one-line `InputError` (see `parseWithSchema`), or accepts what the fast check was too
 * strict for. Returns nothing: callers keep their own value (zod rebuilds objects, drops keys such
 * as `__proto__`, and copying a million items just to check them would double the planner's memory).
 */
export function checkWithSchema(accepts: (value: unknown) => boolean, define: (z: Zod) => z.ZodType, value: unknown, file?: string): void {
  if (accepts(value)) return;
  parseWithSchema(schemaFor(define), value, file);
}

/** The schema `define` builds with the lazily loaded zod, built once. */
export function schemaFor(define: (z: Zod) => z.ZodType): z.ZodType {
  let schema = schemas.get(define);
  if (schema === undefined) {
    schema = define(loadZod());
    schemas.set(define, schema);
  }
  return schema;
}
