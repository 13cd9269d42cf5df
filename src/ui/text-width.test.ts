import { describe, expect, it } from 'vitest';
import { padToWidth, textWidth, truncateToWidth, wrapToWidth } from './text-width.js';

describe('text width', () => {
  it('counts wide characters as two columns and combining marks as none', () => {
    expect(textWidth('abc')).toBe(3);
    expect(textWidth('漢字')).toBe(4);
    expect(textWidth('e\u0301')).toBe(1);
    expect(textWidth('✔ ○ ⊘')).toBe(5);
  });

  it('cuts to a width with an ellipsis, never splitting a wide character over the edge', () => {
    expect(truncateToWidth('Install the SDK', 10)).toBe('Install t…');
    expect(truncateToWidth('short', 10)).toBe('short');
    expect(truncateToWidth('漢字漢字', 6)).toBe('漢字…');
    expect(textWidth(truncateToWidth('漢字漢字', 6))).toBeLessThanOrEqual(6);
    expect(truncateToWidth('anything', 0)).toBe('');
  });

  it('pads to an exact width', () => {
    expect(padToWidth('ab', 4)).toBe('ab  ');
    expect(padToWidth('abcdef', 4)).toBe('abc…');
  });

  it('wraps at spaces, marks text left over, and can break a long word instead of cutting it', () => {
    expect(wrapToWidth('one two three four', 9, { maxLines: 5 })).toEqual(['one two', 'three', 'four']);
    expect(wrapToWidth('one two three four', 9, { maxLines: 2 })).toEqual(['one two', 'three…']);
    expect(wrapToWidth('cmd /a/very/long/path', 8, { maxLines: 5, breakWords: true })).toEqual(['cmd', '/a/very/', 'long/pat', 'h']);
    expect(wrapToWidth('cmd /a/very/long/path', 8, { maxLines: 5 })).toEqual(['cmd', '/a/very…']);
  });
});
