import { TERMINAL_ESCAPES } from './to-terminal-text.js';

// eslint-disable-next-line no-control-regex -- removing control characters is the point
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * Makes text from an agent or a task label safe for one terminal line: escape sequences are
 * removed (an agent must not be able to move the cursor, recolour the view or set the
 * clipboard), line breaks and tabs become spaces, other control characters go, and runs of
 * whitespace collapse.
 */
export function toSingleLine(text: string): string {
  return text
    .replace(TERMINAL_ESCAPES, '')
    .replace(/[\r\n\t]+/g, ' ')
    .replace(CONTROLS, '')
    .replace(/\s+/g, ' ')
    .trim();
}
