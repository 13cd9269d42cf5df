import { describe, expect, it } from 'vitest';
import { chooseUiMode } from './choose-ui-mode.js';

describe('chooseUiMode', () => {
  it('uses the live view only on an interactive terminal outside CI', () => {
    expect(chooseUiMode(undefined, { isTTY: true }, {})).toBe('tui');
    expect(chooseUiMode(undefined, { isTTY: false }, {})).toBe('plain');
    expect(chooseUiMode(undefined, { isTTY: true }, { CI: 'true' })).toBe('plain');
    expect(chooseUiMode(undefined, { isTTY: true }, { CI: 'false' })).toBe('tui');
    expect(chooseUiMode(undefined, { isTTY: true }, { TERM: 'dumb' })).toBe('plain');
    expect(chooseUiMode('json', { isTTY: true }, {})).toBe('json');
  });
});
