import { statSync } from 'node:fs';
import type { RunReader } from '../backend/backend.js';
import { StateDirReader } from '../backend/local/state-dir-reader.js';
import { assertInstallDir } from '../detect/assert-install-dir.js';
import { InputError } from '../errors/input-error.js';
import { UsageError } from '../errors/usage-error.js';
import { openPostgresStore, READ_ONLY_POLICY } from '../programs/open-postgres-store.js';
import { resolveStateDir } from '../util/state-dir.js';
import { storeUrl } from './store-flags.js';

export interface RunSource {
  readonly installDir?: string | undefined;
  readonly stateDir?: string | undefined;
  readonly store?: string | undefined;
}

/**
 * The runs a read-only command looks at: a state dir (`--state-dir`, or `<install-dir>/.drover`,
 * default the current directory's) or a PostgreSQL store (`--store URL`, `?schema=NAME`; or
 * `DROVER_DATABASE_URL` when no directory is named). A missing directory or
 * an unreachable database is one line and exit 2.
 */
export async function openRunReader(source: RunSource, options: { readonly writable?: boolean } = {}): Promise<RunReader> {
  const given = [source.installDir, source.stateDir, source.store].filter((value) => value !== undefined).length;
  if (given > 1) throw new UsageError('pass one of --install-dir, --state-dir or --store');
  // --store, else DROVER_DATABASE_URL when no directory is named (as drover status does).
  const store = source.store ?? (source.installDir === undefined && source.stateDir === undefined ? storeUrl({}) : undefined);
  // `drover dashboard --allow-actions` records actions through the store: it opens it as any worker does.
  if (store !== undefined) return openPostgresStore(store, READ_ONLY_POLICY, options.writable === true ? {} : { readOnly: true });
  if (source.installDir !== undefined) assertInstallDir(source.installDir);
  const stateDir = resolveStateDir(source.installDir ?? '.', source.stateDir);
  let isDirectory: boolean;
  try {
    isDirectory = statSync(stateDir).isDirectory();
  } catch {
    throw new InputError(source.stateDir !== undefined ? 'state directory not found' : 'no state directory here; start a run with drover run, or pass --state-dir', { file: stateDir });
  }
  if (!isDirectory) throw new InputError('is not a directory, expected a drover state directory', { file: stateDir });
  return new StateDirReader(stateDir);
}
