import { describe, expect, it } from 'vitest';
import { shouldUseColor } from './should-use-color.js';

const tty = { isTTY: true, hasColors: () => true };

describe('shouldUseColor', () => {
  it('honours NO_COLOR, TERM=dumb and FORCE_COLOR', () => {
    expect(shouldUseColor(tty, {})).toBe(true);
    expect(shouldUseColor(tty, { NO_COLOR: '1' })).toBe(false);
    expect(shouldUseColor(tty, { NO_COLOR: '' })).toBe(true);
    expect(shouldUseColor(tty, { TERM: 'dumb' })).toBe(false);
    expect(shouldUseColor({ isTTY: false }, {})).toBe(false);
    expect(shouldUseColor({ isTTY: false }, { FORCE_COLOR: '1' })).toBe(true);
    expect(shouldUseColor(tty, { NO_COLOR: '1', FORCE_COLOR: '1' })).toBe(false);
  });
});
