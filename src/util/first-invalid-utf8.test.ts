import { isUtf8 } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { firstInvalidUtf8 } from './first-invalid-utf8.js';

const bytes = (...values: number[]) => Uint8Array.from(values);

describe('firstInvalidUtf8', () => {
  it('is -1 for well-formed text of every sequence length', () => {
    expect(firstInvalidUtf8(Buffer.from('a é € 😀 z'))).toBe(-1);
  });

  it('points at a byte that can never appear (0xFF, 0xFE), at a stray continuation and at a truncated sequence', () => {
    expect(firstInvalidUtf8(bytes(0x61, 0xff))).toBe(1);
    expect(firstInvalidUtf8(bytes(0x61, 0x62, 0xfe))).toBe(2);
    expect(firstInvalidUtf8(bytes(0x80))).toBe(0);
    expect(firstInvalidUtf8(bytes(0x61, 0xe2, 0x82))).toBe(1);
    expect(firstInvalidUtf8(bytes(0xe2, 0x28, 0xa1))).toBe(1);
  });

  it('rejects overlongs, surrogates and code points above U+10FFFF, as isUtf8 does', () => {
    for (const sequence of [[0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xf0, 0x8f, 0xbf, 0xbf]]) {
      expect(isUtf8(bytes(...sequence))).toBe(false);
      expect(firstInvalidUtf8(bytes(...sequence))).toBeGreaterThanOrEqual(0);
    }
  });
});
