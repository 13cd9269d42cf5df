import { describe, expect, it } from 'vitest';
import { logTail } from './log-tail.js';

describe('logTail', () => {
  it('keeps text within the bound as it is', () => {
    expect(logTail('héllo', 6)).toBe('héllo');
  });

  it('keeps the last bytes, dropping a character the bound cuts in half', () => {
    // "€" is 3 bytes: the last 4 bytes of "x€ab" start inside it, so it is dropped whole.
    expect(logTail('x€ab', 4)).toBe('ab');
    expect(logTail('x€ab', 5)).toBe('€ab');
    const tail = logTail('é'.repeat(1000), 101);
    expect(tail).toBe('é'.repeat(50));
    expect(Buffer.byteLength(tail)).toBeLessThanOrEqual(101);
  });

  it('never exceeds the bound and never decodes a replacement character', () => {
    const text = '日本語のログ🙂\n'.repeat(500);
    for (const bound of [1, 2, 3, 4, 5, 1000, 4097]) {
      const tail = logTail(text, bound);
      expect(Buffer.byteLength(tail)).toBeLessThanOrEqual(bound);
      expect(tail).not.toContain('\uFFFD');
      expect(text.endsWith(tail)).toBe(true);
    }
  });
});
