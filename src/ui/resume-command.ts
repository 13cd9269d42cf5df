import { resolve } from 'node:path';
import { DEFAULT_STATE_DIR_NAME } from '../util/state-paths.js';

/** The command that resumes a run, with `--state-dir` only when it is not the default under the install dir. */
export function resumeCommand(installDir: string, stateDir: string): string {
  const parts = ['drover', 'run', '--install-dir', shellQuote(installDir)];
  if (stateDir !== '' && resolve(stateDir) !== resolve(installDir, DEFAULT_STATE_DIR_NAME)) parts.push('--state-dir', shellQuote(stateDir));
  parts.push('--resume');
  return parts.join(' ');
}

/** Quotes an argument for a POSIX shell only when it needs it, so the usual path stays easy to read. */
export function shellQuote(arg: string): string {
  if (/^[A-Za-z0-9_\-./,:@%+=~]+$/.test(arg) && !arg.startsWith('~')) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}
