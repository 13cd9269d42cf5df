// Escape sequences: CSI (ESC [ … final byte), OSC (ESC ] … BEL or ESC \), and any other two-byte ESC sequence.
// eslint-disable-next-line no-control-regex -- matching escape sequences is the point
const ESCAPES = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-_]?|\u009b[0-?]*[ -/]*[@-~]/g;
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
    .replace(ESCAPES, '')
    .replace(/[\r\n\t]+/g, ' ')
    .replace(CONTROLS, '')
    .replace(/\s+/g, ' ')
    .trim();
}
