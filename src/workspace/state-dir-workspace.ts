import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { openAttemptLog, type AttemptLog } from '../util/attempt-log.js';
import type { StateFs } from '../util/state-fs.js';
import { statePaths, type StatePaths } from '../util/state-paths.js';
import { writeFileAtomic } from '../util/write-file-atomic.js';
import { writeStateFile } from '../util/write-state-file.js';
import { trackProcessGroup } from './live-process-groups.js';
import { readLogTail } from './read-log-tail.js';
import { reapOrphanedProcessGroups } from './reap-orphaned-process-groups.js';
import type { AttemptWorkspace, Workspace } from './workspace.js';

/**
 * The workspace over a directory laid out as SPEC.md "Run state on disk" says: `prompts/<id>.md`,
 * `logs/<id>.log`, `markers/<id>.json`, `mcp/<id>.json`, `agent-groups/<pgid>.json`,
 * `inputs/<name>.json`, `events.jsonl`. The local run roots it at its state dir; a worker at its own
 * `runs/<runId>/` (see `workerWorkspaces`).
 */
export function stateDirWorkspace(root: string): Workspace {
  const paths = statePaths(root);
  return {
    root,
    telemetryFile: paths.events,
    attempt: (taskId) => new StateDirAttempt(paths, taskId),
    reapOrphanedProcessGroups: () => reapOrphanedProcessGroups(paths.agentGroups),
    async writeInput(name, text) {
      const file = paths.input(name);
      await writeFileAtomic(file, text);
      return file;
    },
  };
}

/**
 * One attempt's files under the run's paths. A worker makes one per attempt, and most attempts
 * (an in-process agent, a command agent given no files) never look at most of them: each path is
 * built on first use, so an attempt costs no path joins it does not need (issue 12: the joins
 * were a fifth of the drain's garbage).
 */
class StateDirAttempt implements AttemptWorkspace {
  readonly taskId: string;
  readonly #paths: StatePaths;
  #promptFile: string | undefined;
  #agentConfigFile: string | undefined;
  #logFile: string | undefined;

  constructor(paths: StatePaths, taskId: string) {
    this.#paths = paths;
    this.taskId = taskId;
  }

  get promptFile(): string {
    return (this.#promptFile ??= this.#paths.prompt(this.taskId));
  }

  get agentConfigFile(): string {
    return (this.#agentConfigFile ??= join(this.#paths.root, 'mcp', `${this.taskId}.json`));
  }

  get logFile(): string {
    return (this.#logFile ??= this.#paths.log(this.taskId));
  }

  async writePrompt(text: string, fs?: StateFs): Promise<string> {
    const file = this.promptFile;
    await writeStateFile(file, text, fs !== undefined ? { fs } : {});
    return file;
  }

  async writeMarker(text: string, fs?: StateFs): Promise<void> {
    await writeStateFile(this.#paths.marker(this.taskId), text, fs !== undefined ? { fs } : {});
  }

  async writeAgentConfig(text: string): Promise<void> {
    await writeStateFile(this.agentConfigFile, text, { mode: 0o600, sync: false });
  }

  async removeAgentConfig(): Promise<void> {
    await rm(this.agentConfigFile, { force: true });
  }

  openLog(options: Parameters<AttemptWorkspace['openLog']>[0]): Promise<AttemptLog> {
    return openAttemptLog(this.logFile, options);
  }

  readLogTail(maxBytes: number): Promise<string | undefined> {
    return readLogTail(this.logFile, maxBytes);
  }

  trackProcessGroup(pgid: number): () => void {
    return trackProcessGroup(pgid, this.#paths.agentGroups);
  }
}
