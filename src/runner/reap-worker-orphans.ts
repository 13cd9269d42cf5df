import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { reapOrphanedProcessGroups } from '../agents/reap-orphaned-process-groups.js';
import { statePaths } from '../util/state-paths.js';

/**
 * Kills the agent process groups a dead predecessor of this worker left running on this machine,
 * from the records under each `runs/<runId>/agent-groups/` of the worker's state dir. Call it
 * holding the state dir's lock, before claiming. Returns the pgids killed.
 */
export async function reapWorkerOrphans(stateDir: string): Promise<number[]> {
  let runs: string[];
  try {
    runs = await readdir(join(stateDir, 'runs'));
  } catch {
    return [];
  }
  const killed: number[] = [];
  for (const run of runs) killed.push(...(await reapOrphanedProcessGroups(statePaths(join(stateDir, 'runs', run)).agentGroups)));
  return killed;
}
