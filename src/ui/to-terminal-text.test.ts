import { describe, expect, it } from 'vitest';
import { stripTerminalControls, toTerminalJson, toTerminalText } from './to-terminal-text.js';

// What a hostile agent log, label or shipped state dir might hold.
const CLIPBOARD = '\u001b]52;c;cm0gLXJmIH4=\u0007';
const CLIPBOARD_ST = '\u001b]52;c;cm0gLXJmIH4=\u001b\\';
const CLEAR = '\u001b[2J\u001b[H';
const TITLE_8BIT = '\u009d0;pwned\u009c';
const CSI_8BIT = '\u009b2J';
const DCS = '\u001bPq#0;2;0;0;0\u001b\\';

describe('toTerminalText', () => {
  it('removes clipboard writes, screen clears, titles and device strings in 7- and 8-bit form, payload included', () => {
    const out = toTerminalText(`a${CLIPBOARD}b${CLIPBOARD_ST}c${CLEAR}d${TITLE_8BIT}e${CSI_8BIT}f${DCS}g`);
    expect(out).toBe('abcdefg');
  });

  it('drops an unterminated control string to the end rather than printing its payload', () => {
    expect(toTerminalText('ok\n\u001b]52;c;c2VjcmV0')).toBe('ok\n');
  });

  it('keeps lines and tabs, normalises CR, and shows other controls as visible pictures', () => {
    expect(toTerminalText('one\r\ntwo\rthree\tcol\u0007\u0000\u007f\u0085end')).toBe('one\ntwo\nthree\tcol\u2407\u2400\u2421\ufffdend');
  });

  it('leaves ordinary text, including non-Latin scripts and emoji, untouched', () => {
    const text = 'Install the SDK · 日本語 ✔ 🚀\n  indented';
    expect(toTerminalText(text)).toBe(text);
  });

  it('never lets an ESC or C1 byte through, whatever follows it', () => {
    for (const tail of ['', '[', '[1;2', ']', 'P', '(', ' ', '\u001b', '\u009b', '\u009d']) {
      // eslint-disable-next-line no-control-regex -- the point of the check
      expect(toTerminalText(`x\u001b${tail}y\u009b${tail}z`)).not.toMatch(/[\u001b\u0080-\u009f]/);
    }
  });
});

describe('stripTerminalControls', () => {
  it('removes escapes and controls inside one line and keeps its spacing', () => {
    expect(stripTerminalControls(`  state     /tmp/${CLEAR}app\nx`)).toBe('  state     /tmp/app x');
  });
});

describe('toTerminalJson', () => {
  it('escapes DEL, C1 and line separators so the JSON text carries no raw control byte, and parses back the same', () => {
    const value = { label: `x${CSI_8BIT}\u007f\u2028`, nested: [CLIPBOARD] };
    const text = toTerminalJson(value, 2);
    // eslint-disable-next-line no-control-regex -- the point of the check
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028]/);
    expect(JSON.parse(text)).toEqual(value);
  });
});
