import { spawn } from 'node:child_process';

const started: number[] = [];

/** A detached process group that lives until killed, as an agent does. Killed by `killSpawnedGroups`. */
export function spawnGroup(): number {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { detached: true, stdio: 'ignore' });
  child.unref();
  started.push(child.pid!);
  return child.pid!;
}

/** Kills every group `spawnGroup` started (for `afterEach`). */
export function killSpawnedGroups(): void {
  for (const pid of started.splice(0)) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
}
