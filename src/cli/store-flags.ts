import type { Command } from 'commander';
import { parseDuration } from '../util/parse-duration.js';

/** `--store` and `--lease`, shared by `drover run`, `drover worker` and `drover status`. */
export interface StoreFlags {
  store?: string;
  lease?: string;
}

export function addStoreOption(command: Command, what: string): Command {
  return command.option('--store <url>', `${what} (postgres://user@host:port/db, optionally ?schema=NAME; env DROVER_DATABASE_URL)`);
}

export function addLeaseOption(command: Command): Command {
  return command.option('--lease <duration>', 'with --store: how long a claimed task stays with this worker without a heartbeat (default 30s); a dead worker\'s tasks go back after it');
}

/** The store URL: `--store`, else `DROVER_DATABASE_URL`; undefined means the local state dir. */
export function storeUrl(flags: StoreFlags): string | undefined {
  const url = flags.store ?? process.env.DROVER_DATABASE_URL;
  return url === undefined || url === '' ? undefined : url;
}

export function leaseMs(flags: StoreFlags): number | undefined {
  return flags.lease === undefined ? undefined : parseDuration(flags.lease, '--lease');
}
