export type { AttemptWorkspace, Workspace } from './workspace.js';
export { stateDirWorkspace } from './state-dir-workspace.js';
export { workerWorkspaces, type WorkerWorkspaces } from './worker-workspaces.js';
export { killLiveProcessGroups } from './live-process-groups.js';
