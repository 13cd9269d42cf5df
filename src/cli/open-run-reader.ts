import { statSync } from 'node:fs';
import type { RunReader } from '../backend/backend.js';
import { StateDirReader } from '../backend/local/state-dir-reader.js';
import { assertInstallDir } from '../detect/assert-install-dir.js';
import { InputError } from '../errors/input-error.js';
import { UsageError } from '../errors/usage-error.js';
import { DEFAULT_LIMITS, DEFAULT_MAX_ATTEMPTS } from '../queue/limits.js';
import { resolveStateDir } from '../util/state-paths.js';

export interface RunSource {
  readonly installDir?: string | undefined;
  readonly stateDir?: string | undefined;
  readonly store?: string | undefined;
}

/**
 * The runs a read-only command looks at: a state dir (`--state-dir`, or `<install-dir>/.drover`,
 * default the current directory's) or a PostgreSQL store (`--store URL`). A missing directory or
 * an unreachable database is one line and exit 2.
 */
export async function openRunReader(source: RunSource): Promise<{ reader: RunReader; where: string }> {
  const given = [source.installDir, source.stateDir, source.store].filter((value) => value !== undefined).length;
  if (given > 1) throw new UsageError('pass one of --install-dir, --state-dir or --store');
  if (source.store !== undefined) {
    // Loaded only for --store: the pg driver is not needed to read a state dir.
    const { PostgresBackend } = await import('../backend/postgres/postgres-backend.js');
    const backend = await PostgresBackend.open(source.store, { policy: { limits: DEFAULT_LIMITS, taskTypes: null, sinkTypes: new Set(), defaultMaxAttempts: DEFAULT_MAX_ATTEMPTS } });
    return { reader: backend, where: 'the PostgreSQL store' };
  }
  if (source.installDir !== undefined) assertInstallDir(source.installDir);
  const stateDir = resolveStateDir(source.installDir ?? '.', source.stateDir);
  let isDirectory: boolean;
  try {
    isDirectory = statSync(stateDir).isDirectory();
  } catch {
    throw new InputError(source.stateDir !== undefined ? 'state directory not found' : 'no state directory here; start a run with drover run, or pass --state-dir', { file: stateDir });
  }
  if (!isDirectory) throw new InputError('is not a directory, expected a drover state directory', { file: stateDir });
  return { reader: new StateDirReader(stateDir), where: stateDir };
}
