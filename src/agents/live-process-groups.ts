/**
 * Process groups of agent commands still running. Agents run in their own group (so a timeout
 * can kill the whole tree), which also means the terminal's Ctrl-C does not reach them: a forced
 * exit must kill them itself, synchronously, before the process goes.
 */
const groups = new Set<number>();

export function trackProcessGroup(pgid: number): () => void {
  groups.add(pgid);
  return () => groups.delete(pgid);
}

/** SIGKILLs every live agent process group. Safe to call from an exit handler. */
export function killLiveProcessGroups(): void {
  for (const pgid of groups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  groups.clear();
}
