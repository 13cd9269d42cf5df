export type UiMode = 'tui' | 'plain' | 'json';

/**
 * The view `drover run` uses when `--ui` is not given: the live view only on an interactive
 * terminal. CI runners sometimes allocate a TTY, but a redrawn frame is noise in their logs (and
 * ink stops redrawing there), so they get the plain log, as does `TERM=dumb`.
 */
export function chooseUiMode(requested: UiMode | undefined, stdout: { readonly isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): UiMode {
  if (requested !== undefined) return requested;
  if (stdout.isTTY !== true || env.TERM === 'dumb') return 'plain';
  const inCi = (name: string): boolean => env[name] !== undefined && env[name] !== '0' && env[name] !== 'false';
  return inCi('CI') || inCi('CONTINUOUS_INTEGRATION') ? 'plain' : 'tui';
}
