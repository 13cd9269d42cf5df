/** The few styles the views use. */
export type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan';

export type Paint = (style: Style | undefined, text: string) => string;

const SGR: Record<Style, readonly [number, number]> = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
};

/** Wraps text in SGR colour codes, or leaves it alone when colour is off (NO_COLOR, not a terminal). */
export function createPaint(color: boolean): Paint {
  if (!color) return (_style, text) => text;
  return (style, text) => {
    if (style === undefined || text === '') return text;
    const [open, close] = SGR[style];
    return `\u001b[${open}m${text}\u001b[${close}m`;
  };
}
