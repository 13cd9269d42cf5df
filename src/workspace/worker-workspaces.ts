import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { stateDirWorkspace } from './state-dir-workspace.js';
import type { Workspace } from './workspace.js';

/** A worker's workspaces: one `stateDirWorkspace` per run, rooted at `<stateDir>/runs/<runId>/`. */
export interface WorkerWorkspaces {
  forRun(runId: string): Workspace;
  /**
   * Kills the agent process groups a dead predecessor of this worker left running on this
   * machine, for every run it worked on. Call it holding the state dir's lock, before claiming.
   * Returns the pgids killed.
   */
  reapOrphanedProcessGroups(): Promise<number[]>;
}

export function workerWorkspaces(stateDir: string): WorkerWorkspaces {
  const runs = join(stateDir, 'runs');
  return {
    forRun: (runId) => stateDirWorkspace(join(runs, dirNameOf(runId))),
    async reapOrphanedProcessGroups() {
      let names: string[];
      try {
        names = await readdir(runs);
      } catch {
        return [];
      }
      const killed: number[] = [];
      for (const name of names) killed.push(...(await stateDirWorkspace(join(runs, name)).reapOrphanedProcessGroups()));
      return killed;
    },
  };
}

/** A run id as a directory name: itself when it is a plain name, else a hash of it. */
function dirNameOf(runId: string): string {
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(runId) ? runId : createHash('sha256').update(runId).digest('hex').slice(0, 32);
}
