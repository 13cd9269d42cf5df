import { existsSync, lstatSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killSpawnedGroups, spawnGroup } from '../../test/helpers/process-groups.js';
import { afterEach, describe, expect, it } from 'vitest';
import { StateWriteError } from '../errors/state-write-error.js';
import { liveGroupMembers } from './process-identity.js';
import { stateDirWorkspace } from './state-dir-workspace.js';
import { workerWorkspaces } from './worker-workspaces.js';

const tempDir = (): Promise<string> => mkdtemp(join(tmpdir(), 'drover-workspace-'));

afterEach(killSpawnedGroups);

describe('stateDirWorkspace', () => {
  it('puts each file of an attempt where SPEC.md "Run state on disk" says', async () => {
    const root = await tempDir();
    const workspace = stateDirWorkspace(root);
    const attempt = workspace.attempt('plan-1');
    expect(workspace.root).toBe(root);
    expect(await attempt.writePrompt('# Task\n')).toBe(join(root, 'prompts', 'plan-1.md'));
    expect(attempt.promptFile).toBe(join(root, 'prompts', 'plan-1.md'));
    expect(await readFile(join(root, 'prompts', 'plan-1.md'), 'utf8')).toBe('# Task\n');
    await attempt.writeMarker('{}\n');
    expect(await readFile(join(root, 'markers', 'plan-1.json'), 'utf8')).toBe('{}\n');
    expect(await workspace.writeInput('llm-calls', '[]\n')).toBe(join(root, 'inputs', 'llm-calls.json'));
    expect(await readFile(join(root, 'inputs', 'llm-calls.json'), 'utf8')).toBe('[]\n');
    const log = await attempt.openLog({ header: '--- attempt 1\n' });
    log.write('hello\n');
    await log.close();
    expect(await readFile(join(root, 'logs', 'plan-1.log'), 'utf8')).toBe('--- attempt 1\nhello\n');
  });

  it('writes the agent config readable by its owner only, and removes it after the attempt (also when it was never written)', async () => {
    const root = await tempDir();
    const attempt = stateDirWorkspace(root).attempt('install-1');
    expect(attempt.agentConfigFile).toBe(join(root, 'mcp', 'install-1.json'));
    await attempt.writeAgentConfig('{"token":"secret"}\n');
    expect((await stat(attempt.agentConfigFile)).mode & 0o777).toBe(0o600);
    await attempt.removeAgentConfig();
    expect(existsSync(attempt.agentConfigFile)).toBe(false);
    await expect(attempt.removeAgentConfig()).resolves.toBeUndefined();
  });

  it('reads the tail of the log, dropping the first line the cut went through', async () => {
    const root = await tempDir();
    const attempt = stateDirWorkspace(root).attempt('a-1');
    expect(await attempt.readLogTail(100)).toBeUndefined();
    await mkdir(join(root, 'logs'));
    await writeFile(join(root, 'logs', 'a-1.log'), `${'x'.repeat(50)}\nlast line\n`);
    expect(await attempt.readLogTail(20)).toBe('last line\n');
  });

  it('never writes or reads through a link an agent planted in the state dir', async () => {
    const root = await tempDir();
    const outside = join(await tempDir(), 'precious.txt');
    await writeFile(outside, 'keep me\n');
    for (const folder of ['prompts', 'logs', 'markers']) await mkdir(join(root, folder));
    await symlink(outside, join(root, 'prompts', 'a-1.md'));
    await symlink(outside, join(root, 'logs', 'a-1.log'));
    await symlink(outside, join(root, 'markers', 'a-1.json'));
    const attempt = stateDirWorkspace(root).attempt('a-1');

    await attempt.writePrompt('prompt\n');
    await attempt.writeMarker('{}\n');
    // The link is replaced by the file, never followed.
    expect(lstatSync(join(root, 'prompts', 'a-1.md')).isSymbolicLink()).toBe(false);
    expect(lstatSync(join(root, 'markers', 'a-1.json')).isSymbolicLink()).toBe(false);
    await expect(attempt.openLog({ header: 'h\n' })).rejects.toBeInstanceOf(StateWriteError);
    expect(await attempt.readLogTail(1000)).toBeUndefined();
    expect(await readFile(outside, 'utf8')).toBe('keep me\n');
  });

  it.runIf(process.platform === 'linux')('records a live process group until it is forgotten, and reaps the groups a dead drover left', async () => {
    const root = await tempDir();
    const workspace = stateDirWorkspace(root);
    const pgid = spawnGroup();
    const forget = workspace.attempt('a-1').trackProcessGroup(pgid);
    expect(await readdir(join(root, 'agent-groups'))).toEqual([`${pgid}.json`]);
    forget();
    expect(await readdir(join(root, 'agent-groups'))).toEqual([]);

    workspace.attempt('a-2').trackProcessGroup(pgid); // recorded, then "drover dies": never forgotten
    expect(await workspace.reapOrphanedProcessGroups()).toEqual([pgid]);
    expect(liveGroupMembers(pgid)).toEqual([]);
    expect(await readdir(join(root, 'agent-groups'))).toEqual([]);
  });
});

describe('workerWorkspaces', () => {
  it('roots each run at runs/<runId>/ of the worker\'s state dir, a run id that is no plain name hashed', async () => {
    const stateDir = await tempDir();
    const workspaces = workerWorkspaces(stateDir);
    expect(workspaces.forRun('run-1').root).toBe(join(stateDir, 'runs', 'run-1'));
    expect(workspaces.forRun('run-1').attempt('a-1').promptFile).toBe(join(stateDir, 'runs', 'run-1', 'prompts', 'a-1.md'));
    const odd = workspaces.forRun('../escape');
    expect(odd.root).toMatch(new RegExp(`^${join(stateDir, 'runs')}/[0-9a-f]{32}$`));
    expect(await workspaces.reapOrphanedProcessGroups()).toEqual([]); // no runs/ yet
  });

  it.runIf(process.platform === 'linux')('reaps the orphaned agents of every run a dead predecessor worked on', async () => {
    const stateDir = await tempDir();
    const workspaces = workerWorkspaces(stateDir);
    const first = spawnGroup();
    const second = spawnGroup();
    workspaces.forRun('run-1').attempt('a-1').trackProcessGroup(first);
    workspaces.forRun('run-2').attempt('b-1').trackProcessGroup(second);
    expect((await workspaces.reapOrphanedProcessGroups()).sort()).toEqual([first, second].sort());
    expect(liveGroupMembers(first)).toEqual([]);
    expect(liveGroupMembers(second)).toEqual([]);
  });
});
