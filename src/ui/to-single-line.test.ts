import { describe, expect, it } from 'vitest';
import { toSingleLine } from './to-single-line.js';

describe('toSingleLine', () => {
  it('removes colour, cursor movement, titles and clipboard writes an agent might print', () => {
    expect(toSingleLine('\u001b[31mred\u001b[0m \u001b[2Aup \u001b]0;title\u0007\u001b]52;c;aGk=\u0007done')).toBe('red up done');
  });

  it('turns line breaks and tabs into single spaces and drops other control characters', () => {
    expect(toSingleLine('  first\r\nsecond\tthird\u0007\u0000  ')).toBe('first second third');
  });
});
