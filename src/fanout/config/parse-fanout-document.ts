import type { z } from 'zod';
import { parseWithSchema } from '../../util/parse-with-schema.js';

/**
 * Validates a document against its zod schema and returns the caller's own value, not zod's copy:
 * zod rebuilds objects (and quietly drops keys such as `__proto__`), and copying a million items
 * just to check them would double the planner's memory.
 */
export function parseFanoutDocument<T>(schema: z.ZodType, value: unknown, source: string): T {
  parseWithSchema(schema, value, source);
  return value as T;
}
