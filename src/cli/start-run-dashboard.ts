import { StateDirReader } from '../backend/local/state-dir-reader.js';
import { stripTerminalControls } from '../ui/to-terminal-text.js';
import { DashboardServer } from '../web/server/dashboard-server.js';
import type { CliContext } from './cli-context.js';

/**
 * `drover run --dashboard`: the read-only dashboard over the run's own state dir, in the run's
 * process, for as long as the run runs. Its URL goes to stderr: stdout carries the run's
 * progress (and, with `--ui json`, JSON lines a script parses).
 */
export async function startRunDashboard(stateDir: string, context: CliContext): Promise<{ close(): Promise<void> }> {
  const reader = new StateDirReader(stateDir);
  const server = await DashboardServer.start({ reader });
  context.stderr.write(`drover: dashboard at ${stripTerminalControls(server.url)}\n`);
  return {
    close: async () => {
      await server.close();
      await reader.close();
    },
  };
}
