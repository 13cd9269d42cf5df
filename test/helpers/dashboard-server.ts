import { startDrover, type CliResult } from './run-cli.js';

export interface RunningDashboard {
  /** The first line `drover dashboard` printed: `http://127.0.0.1:PORT/?token=TOKEN`. */
  readonly url: string;
  readonly origin: string;
  readonly token: string;
  /** The page's URL for a hash route, with the token: `page('#/runs/ID')`. */
  readonly page: (hash?: string) => string;
  /** SIGTERM, then the exit. */
  readonly stop: () => Promise<CliResult>;
}

const URL_LINE = /^(http:\/\/127\.0\.0\.1:\d+)\/\?token=([A-Za-z0-9_-]+)\n/;

/** Starts the real `drover dashboard` bin (a server is a process: it must outlive the call). */
export async function startDashboard(args: readonly string[]): Promise<RunningDashboard> {
  const started = startDrover(['dashboard', '--port', '0', ...args]);
  let stdout = '';
  started.child.stdout!.on('data', (chunk) => (stdout += chunk));
  await started.stdoutMatches(URL_LINE);
  const [, origin, token] = URL_LINE.exec(stdout)!;
  return {
    url: `${origin}/?token=${token}`,
    origin: origin!,
    token: token!,
    page: (hash = '#/') => `${origin}/?token=${token}${hash}`,
    stop: () => {
      if (started.child.exitCode === null && started.child.signalCode === null) started.child.kill('SIGTERM');
      return started.done;
    },
  };
}
