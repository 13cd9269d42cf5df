import type { RunReader } from '../backend/backend.js';
import { StateDirReader } from '../backend/local/state-dir-reader.js';
import { openPostgresStore, READ_ONLY_POLICY } from '../programs/open-postgres-store.js';
import { stripTerminalControls } from '../ui/to-terminal-text.js';
import { DashboardServer } from '../web/server/dashboard-server.js';
import type { CliContext } from './cli-context.js';
import { runActionsFor } from './dashboard-command.js';
import type { LiveRunWriter } from '../backend/backend.js';

/**
 * `drover run --dashboard`: the dashboard over the run's own state dir (or its `--store`), in
 * the run's process, for as long as the run runs. With `actions` (`--allow-actions`) the run's
 * own writer records a retry or a cancel, and the drain reacts to it. Its URL goes to stderr: stdout carries the run's
 * progress (and, with `--ui json`, JSON lines a script parses).
 */
export async function startRunDashboard(source: { readonly stateDir: string } | { readonly store: string }, context: CliContext, actions?: { readonly writer: () => LiveRunWriter | undefined }): Promise<{ close(): Promise<void> }> {
  // The state dir may not exist yet (a first run creates it): the reader finds the run once it does.
  const reader: RunReader = 'store' in source ? await openPostgresStore(source.store, READ_ONLY_POLICY) : new StateDirReader(source.stateDir);
  let server: DashboardServer;
  try {
    server = await DashboardServer.start({ reader, ...(actions !== undefined ? { actions: runActionsFor(reader, actions.writer) } : {}) });
  } catch (error) {
    await reader.close();
    throw error;
  }
  context.stderr.write(`drover: dashboard at ${stripTerminalControls(server.url)}\n`);
  return {
    close: async () => {
      await server.close();
      await reader.close();
    },
  };
}
