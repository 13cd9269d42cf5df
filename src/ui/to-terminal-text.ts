/**
 * Terminal escape sequences (ECMA-48), in their 7-bit (ESC …) and 8-bit (C1) forms:
 * - control strings — OSC (ESC ], which sets the clipboard with OSC 52 or the window title), DCS
 *   (ESC P), SOS (ESC X), PM (ESC ^) and APC (ESC _) — up to BEL or ST, or to the end when
 *   unterminated, so no payload is left behind as text;
 * - CSI (ESC [ or U+009B, which moves the cursor, clears the screen, recolours) with its
 *   parameters, intermediates and final byte;
 * - any other escape (ESC, intermediates, one final byte), and a lone ESC.
 */
export const TERMINAL_ESCAPES =
  // eslint-disable-next-line no-control-regex -- matching escape sequences is the point
  /(?:\u001b[\]PX^_]|[\u0090\u0098\u009d\u009e\u009f])[^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?|(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]?|\u001b[ -/]*[0-~]?/g;

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const ANY_CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// eslint-disable-next-line no-control-regex -- replacing control characters is the point
const SHOWN_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * Makes text that drover did not write itself — an agent's log, a prompt, a handoff, a label or
 * an error read from a state dir that a repository may have shipped — safe to print as a block:
 * escape sequences are removed (nothing read back may move the cursor, clear the screen, retitle
 * the window or write the clipboard), line endings become `\n`, tabs stay, and any other control
 * character is shown as its Unicode control picture (␇ for BEL) or, for C1, as U+FFFD, so it is
 * visible without acting.
 */
export function toTerminalText(text: string): string {
  if (!ANY_CONTROL.test(text)) return text;
  return text
    .replace(TERMINAL_ESCAPES, '')
    .replace(/\r\n?/g, '\n')
    .replace(SHOWN_CONTROLS, (char) => {
      const code = char.charCodeAt(0);
      if (code < 0x20) return String.fromCharCode(0x2400 + code);
      return code === 0x7f ? '\u2421' : '\ufffd';
    });
}

/**
 * The same for text inside one line whose spacing matters (a path, an id, a padded column):
 * escape sequences and control characters are removed, line breaks and tabs become spaces, and
 * nothing else changes. Text without control characters comes back as it is, cheaply.
 */
export function stripTerminalControls(text: string): string {
  if (!ANY_CONTROL.test(text)) return text;
  return text
    .replace(TERMINAL_ESCAPES, '')
    .replace(/[\r\n\t]/g, ' ')
    .replace(SHOWN_CONTROLS, '');
}

/**
 * JSON for a terminal or a pipe: `JSON.stringify` already escapes C0 controls inside strings, but
 * leaves DEL, the C1 controls (U+009B is a one-byte CSI to many terminals) and the JavaScript line
 * separators as they are. They are escaped here; the result is the same JSON value.
 */
export function toTerminalJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(/[\u007f-\u009f\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
