import { UsageError } from '../errors/usage-error.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses a DURATION flag value: a number with a unit (`250ms`, `10s`, `1.5m`, `2h`) → milliseconds. */
export function parseDuration(text: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text.trim());
  if (match === null) throw new UsageError(`${flag}: expected a duration like 250ms, 10s or 5m, got "${text}"`);
  const ms = Math.round(Number(match[1]) * UNITS[match[2]!]!);
  // Long delays are chained (see long-timeout.ts); past this one, milliseconds lose precision.
  if (!Number.isSafeInteger(ms) || ms > MAX_DURATION_MS) throw new UsageError(`${flag}: expected a duration of at most ${MAX_DURATION_MS / UNITS.h!}h, got "${text}"`);
  return ms;
}

/** The longest duration a flag accepts: 10 years, far past any run, still exact in milliseconds. */
export const MAX_DURATION_MS = 87_600 * 3_600_000;

/** Parses a whole-number flag value within bounds. */
export function parseCount(text: string, flag: string, min = 1, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^\d+$/.test(text.trim())) throw new UsageError(`${flag}: expected a whole number, got "${text}"`);
  const value = Number(text);
  if (value < min || value > max) throw new UsageError(`${flag}: expected a number from ${min} to ${max}, got ${value}`);
  return value;
}
