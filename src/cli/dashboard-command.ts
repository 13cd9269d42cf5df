import { spawn } from 'node:child_process';
import { Command } from 'commander';
import type { LiveRunWriter, RunActions, RunReader } from '../backend/backend.js';
import { StateDirActions } from '../backend/local/state-dir-actions.js';
import { StateDirReader } from '../backend/local/state-dir-reader.js';
import { UsageError } from '../errors/usage-error.js';
import { parseCount } from '../util/parse-duration.js';
import { DashboardServer } from '../web/server/dashboard-server.js';
import type { CliContext } from './cli-context.js';
import { openRunReader } from './open-run-reader.js';

interface DashboardFlags {
  installDir?: string;
  stateDir?: string;
  store?: string;
  port?: string;
  open?: boolean;
  allowActions?: boolean;
}

/** `drover dashboard`: a local web page showing the runs of a state dir or a store, live. Runs until SIGINT/SIGTERM. */
export function dashboardCommand(context: CliContext): Command {
  return new Command('dashboard')
    .description('Serve a local web page that shows runs live: the task graph, the timeline, each task. Read-only unless --allow-actions.')
    .option('--install-dir <dir>', 'the project whose runs to show (state in <dir>/.drover)')
    .option('--state-dir <dir>', 'the state directory to read (the current run and archive/)')
    .option('--store <url>', 'show every run kept in PostgreSQL (postgres://…, optionally ?schema=NAME; env DROVER_DATABASE_URL)')
    .option('--port <n>', 'the port on 127.0.0.1 (default: a free one)')
    .option('--open', 'open the page in the default browser')
    .option('--allow-actions', 'allow retrying a failed task and cancelling a running run from the page (each recorded as an audited event)')
    .action(async (flags: DashboardFlags) => {
      const port = flags.port === undefined ? 0 : parseCount(flags.port, '--port', 0, 65535);
      const reader = await openRunReader(flags, { writable: flags.allowActions === true });
      let server: DashboardServer;
      try {
        server = await DashboardServer.start({ reader, port, ...(flags.allowActions === true ? { actions: runActionsFor(reader) } : {}) });
      } catch (error) {
        await reader.close();
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EADDRINUSE' || code === 'EACCES') throw new UsageError(`--port ${port}: cannot listen on 127.0.0.1:${port} (${code})`);
        throw error;
      }
      context.stdout.write(`${server.url}\n`);
      if (flags.open === true) openBrowser(server.url);
      await untilStopped();
      await server.close();
      await reader.close();
    });
}

/** Who records the actions: on a state dir, whoever may write it (see `StateDirActions`); on PostgreSQL, the store itself. */
export function runActionsFor(reader: RunReader, writer?: () => LiveRunWriter | undefined): RunActions {
  if (reader instanceof StateDirReader) return new StateDirActions(reader.root, writer !== undefined ? { writer } : {});
  if ('retryTask' in reader && 'cancelRun' in reader) return reader as RunReader & RunActions;
  throw new UsageError('--allow-actions: this store cannot record actions');
}

/** Resolves on the first SIGINT, SIGTERM or SIGHUP. */
function untilStopped(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      for (const signal of SIGNALS) process.off(signal, stop);
      resolve();
    };
    const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
    for (const signal of SIGNALS) process.on(signal, stop);
  });
}

/** Best effort: a machine without a browser still has the printed URL. */
function openBrowser(url: string): void {
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    const child = spawn(command, [url], { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // Nothing to do: the URL is printed.
  }
}
