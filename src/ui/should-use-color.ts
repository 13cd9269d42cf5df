/**
 * Whether to colour output for `stream`: never when `NO_COLOR` is set to anything non-empty
 * (no-color.org) or `TERM=dumb`, always when `FORCE_COLOR` is set to anything but `0`,
 * otherwise when the stream is a terminal that reports colours.
 */
export function shouldUseColor(stream: { readonly isTTY?: boolean; hasColors?: () => boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0') return true;
  if (env.TERM === 'dumb') return false;
  if (stream.isTTY !== true) return false;
  return typeof stream.hasColors === 'function' ? stream.hasColors() : true;
}
