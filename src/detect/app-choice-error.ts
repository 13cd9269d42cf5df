import { UsageError } from '../errors/usage-error.js';
import type { AppCandidate } from './detected.js';

const LISTED = 10;

/**
 * `drover run` on a repository with several apps and no `--app`: guessing would instrument the
 * wrong one, so the run stops before writing anything (exit code 2, bad usage) and says which
 * apps it found and how to pick one.
 */
export class AppChoiceError extends UsageError {
  readonly apps: readonly AppCandidate[];

  constructor(installDir: string, apps: readonly AppCandidate[]) {
    const listed = apps.slice(0, LISTED).map((app) => `${app.dir} (${app.framework ?? 'no framework'})`);
    const more = apps.length > LISTED ? `, and ${apps.length - LISTED} more` : '';
    const example = apps.find((app) => app.dir !== '.')?.dir ?? apps[0]?.dir ?? '.';
    super(`${installDir}: found ${apps.length} apps: ${listed.join(', ')}${more}; choose one with --app DIR, e.g. --app ${example}`);
    this.name = 'AppChoiceError';
    this.apps = apps;
  }
}
