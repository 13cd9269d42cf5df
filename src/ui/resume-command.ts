import { resolve } from 'node:path';
import type { RunStartInfo } from '../queue/run-observer.js';
import { DEFAULT_STATE_DIR_NAME } from '../util/state-dir.js';

/**
 * How a person carries on a run that stopped unfinished: `drover run … --resume` for a run in a
 * state dir; for a run kept in a store, `drover worker --store URL --run ID` (the URL is not
 * repeated: it may hold a password).
 */
export function continueCommand(run: Pick<RunStartInfo, 'installDir' | 'stateDir' | 'runId' | 'kept'>, env: NodeJS.ProcessEnv = process.env): string {
  if (run.kept?.kind === 'store') return [...(startedThroughNpm(env) ? ['npx'] : []), 'drover', 'worker', '--store', 'URL', '--run', shellQuote(run.runId)].join(' ');
  return resumeCommand(run.installDir, run.stateDir, env);
}

/**
 * The command that resumes a run, with `--state-dir` only when it is not the default under the
 * install dir. Started through npm (`npx drover`, or an npm script), drover is usually not on the
 * PATH, so the hint says `npx drover`: npm sets `npm_command`, `npm_execpath` and
 * `npm_lifecycle_event` (`npx`) for everything it starts.
 */
export function resumeCommand(installDir: string, stateDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const parts = [...(startedThroughNpm(env) ? ['npx'] : []), 'drover', 'run', '--install-dir', shellQuote(installDir)];
  if (stateDir !== '' && resolve(stateDir) !== resolve(installDir, DEFAULT_STATE_DIR_NAME)) parts.push('--state-dir', shellQuote(stateDir));
  parts.push('--resume');
  return parts.join(' ');
}

function startedThroughNpm(env: NodeJS.ProcessEnv): boolean {
  return [env.npm_command, env.npm_execpath, env.npm_lifecycle_event].some((value) => value !== undefined && value !== '');
}

/** Quotes an argument for a POSIX shell only when it needs it, so the usual path stays easy to read. */
export function shellQuote(arg: string): string {
  if (/^[A-Za-z0-9_\-./,:@%+=~]+$/.test(arg) && !arg.startsWith('~')) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}
