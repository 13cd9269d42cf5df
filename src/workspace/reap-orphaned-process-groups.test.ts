import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killSpawnedGroups, spawnGroup } from '../../test/helpers/process-groups.js';
import { afterEach, describe, expect, it } from 'vitest';
import { trackProcessGroup } from './live-process-groups.js';
import { liveGroupMembers } from './process-identity.js';
import { reapOrphanedProcessGroups } from './reap-orphaned-process-groups.js';

afterEach(killSpawnedGroups);

describe.runIf(process.platform === 'linux')('reapOrphanedProcessGroups', () => {
  it('kills a recorded group that still runs, waits until it is gone, and clears its record', async () => {
    const registry = await mkdtemp(join(tmpdir(), 'drover-groups-'));
    const pgid = spawnGroup();
    trackProcessGroup(pgid, registry); // recorded, then "drover dies": never untracked
    expect(liveGroupMembers(pgid)).toEqual([pgid]);
    expect(await reapOrphanedProcessGroups(registry)).toEqual([pgid]);
    expect(liveGroupMembers(pgid)).toEqual([]);
    expect(await readdir(registry)).toEqual([]);
  });

  it('never kills a process whose pid was reused: the recorded start time differs', async () => {
    const registry = await mkdtemp(join(tmpdir(), 'drover-groups-'));
    const pgid = spawnGroup();
    const untrack = trackProcessGroup(pgid, registry);
    untrack();
    // A record of an earlier process that had the same pid.
    const bootId = (await import('node:fs')).readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    await writeFile(join(registry, `${pgid}.json`), JSON.stringify({ pgid, startTime: '1', bootId }));
    expect(await reapOrphanedProcessGroups(registry)).toEqual([]);
    expect(liveGroupMembers(pgid)).toEqual([pgid]);
    expect(await readdir(registry)).toEqual([]);
  });
});
