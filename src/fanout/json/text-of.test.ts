import { describe, expect, it } from 'vitest';
import { textOf } from './text-of.js';

describe('textOf', () => {
  it('trims strings and turns finite numbers into strings', () => {
    expect(textOf('  a b ')).toBe('a b');
    expect(textOf(7)).toBe('7');
    expect(textOf(0)).toBe('0');
  });

  it('gives "" for everything that cannot be a key', () => {
    for (const value of [undefined, null, true, false, {}, [], Number.NaN, Number.POSITIVE_INFINITY, '   ']) expect(textOf(value)).toBe('');
  });
});
