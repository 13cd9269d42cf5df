import { spawn } from 'node:child_process';
import { Command } from 'commander';
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
    .description('Serve a local web page that shows runs live: the task graph, the timeline, each task. Read-only.')
    .option('--install-dir <dir>', 'the project whose runs to show (state in <dir>/.drover)')
    .option('--state-dir <dir>', 'the state directory to read (the current run and archive/)')
    .option('--store <url>', 'a PostgreSQL database URL: show every run stored there')
    .option('--port <n>', 'the port on 127.0.0.1 (default: a free one)')
    .option('--open', 'open the page in the default browser')
    .option('--allow-actions', 'allow retrying a task and cancelling a run from the page (not supported yet)')
    .action(async (flags: DashboardFlags) => {
      if (flags.allowActions === true) throw new UsageError('--allow-actions: actions (retry, cancel) are not supported yet; the dashboard is read-only (see docs/dashboard.md)');
      const port = flags.port === undefined ? 0 : parseCount(flags.port, '--port', 0, 65535);
      const { reader } = await openRunReader(flags);
      let server: DashboardServer;
      try {
        server = await DashboardServer.start({ reader, port });
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
