import { InputError } from '../errors/input-error.js';

/** `DROVER_PG_POOL_SIZE`: unset or empty means "size it from the concurrency"; otherwise a whole number from 2 to 200. */
export function parsePoolSize(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 2 || n > 200) throw new InputError(`DROVER_PG_POOL_SIZE: expected a whole number of connections from 2 to 200, got "${text}"`);
  return n;
}
