import { createRequire } from 'node:module';
import type { z } from 'zod';

export type Zod = typeof z;

let zod: Zod | undefined;

/**
 * zod, loaded on first use and synchronously: the validators check a document with a fast
 * zod-free check first and need zod only to word an error (about as long to import as node takes
 * to start). `require` takes zod's CommonJS build, so this works from a synchronous function; the
 * schemas are built from the same definitions either way, so the messages are the same.
 */
export function loadZod(): Zod {
  zod ??= (createRequire(import.meta.url)('zod') as { z: Zod }).z;
  return zod;
}
