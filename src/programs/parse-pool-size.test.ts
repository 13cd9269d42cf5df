import { describe, expect, it } from 'vitest';
import { parsePoolSize } from './parse-pool-size.js';

describe('parsePoolSize (DROVER_PG_POOL_SIZE)', () => {
  it('unset or empty sizes the pool from the concurrency; a whole number from 2 to 200 is taken as it is', () => {
    expect(parsePoolSize(undefined)).toBeUndefined();
    expect(parsePoolSize(' ')).toBeUndefined();
    expect(parsePoolSize('12')).toBe(12);
  });

  it('anything else is one line naming the variable and what was expected (exit 2)', () => {
    for (const bad of ['1', '201', '4.5', 'lots']) {
      expect(() => parsePoolSize(bad)).toThrow(`DROVER_PG_POOL_SIZE: expected a whole number of connections from 2 to 200, got "${bad}"`);
    }
  });
});
