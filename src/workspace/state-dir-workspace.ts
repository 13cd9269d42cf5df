import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { openAttemptLog } from '../util/attempt-log.js';
import { statePaths } from '../util/state-paths.js';
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
    attempt: (taskId) => attemptWorkspace(root, taskId),
    reapOrphanedProcessGroups: () => reapOrphanedProcessGroups(paths.agentGroups),
    async writeInput(name, text) {
      const file = paths.input(name);
      await writeFileAtomic(file, text);
      return file;
    },
  };
}

function attemptWorkspace(root: string, taskId: string): AttemptWorkspace {
  const paths = statePaths(root);
  const promptFile = paths.prompt(taskId);
  const logFile = paths.log(taskId);
  const agentConfigFile = join(root, 'mcp', `${taskId}.json`);
  return {
    taskId,
    promptFile,
    logFile,
    agentConfigFile,
    async writePrompt(text, fs) {
      await writeStateFile(promptFile, text, fs !== undefined ? { fs } : {});
      return promptFile;
    },
    async writeMarker(text, fs) {
      await writeStateFile(paths.marker(taskId), text, fs !== undefined ? { fs } : {});
    },
    async writeAgentConfig(text) {
      await writeStateFile(agentConfigFile, text, { mode: 0o600, sync: false });
    },
    async removeAgentConfig() {
      await rm(agentConfigFile, { force: true });
    },
    openLog: (options) => openAttemptLog(logFile, options),
    readLogTail: (maxBytes) => readLogTail(logFile, maxBytes),
    trackProcessGroup: (pgid) => trackProcessGroup(pgid, paths.agentGroups),
  };
}
