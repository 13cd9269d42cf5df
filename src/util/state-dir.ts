import { join, resolve } from 'node:path';

/**
 * Where a run's state dir is (not what is inside it: that is `statePaths`, below the ports). The
 * CLI and the programs choose it; the file store, the local backend and the workspace lay it out.
 */
export const DEFAULT_STATE_DIR_NAME = '.drover';

/** The state dir a run uses: `--state-dir`, else `<install-dir>/.drover`, as an absolute path. */
export function resolveStateDir(installDir: string, stateDir?: string): string {
  return resolve(stateDir ?? join(installDir, DEFAULT_STATE_DIR_NAME));
}
