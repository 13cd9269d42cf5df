import { join, resolve } from 'node:path';

/** Where each piece of a run's state lives inside the state directory (SPEC "Run state on disk"). */
export interface StatePaths {
  readonly root: string;
  readonly queue: string;
  readonly audit: string;
  readonly lock: string;
  readonly events: string;
  readonly handoffs: string;
  readonly markers: string;
  readonly prompts: string;
  readonly logs: string;
  readonly archive: string;
  /** One record per live agent process group (see agents/live-process-groups.ts). */
  readonly agentGroups: string;
  /** Full lists too long for a task's inputs (see queue/limits.ts MAX_INPUT_BYTES). */
  readonly inputs: string;
  handoff(taskId: string): string;
  marker(taskId: string): string;
  prompt(taskId: string): string;
  log(taskId: string): string;
  input(name: string): string;
}

export const DEFAULT_STATE_DIR_NAME = '.drover';

/** The state dir a run uses: `--state-dir`, else `<install-dir>/.drover`, as an absolute path. */
export function resolveStateDir(installDir: string, stateDir?: string): string {
  return resolve(stateDir ?? join(installDir, DEFAULT_STATE_DIR_NAME));
}

export function statePaths(root: string): StatePaths {
  return {
    root,
    queue: join(root, 'queue.json'),
    audit: join(root, 'audit.jsonl'),
    lock: join(root, 'lock'),
    events: join(root, 'events.jsonl'),
    handoffs: join(root, 'handoffs'),
    markers: join(root, 'markers'),
    prompts: join(root, 'prompts'),
    logs: join(root, 'logs'),
    archive: join(root, 'archive'),
    agentGroups: join(root, 'agent-groups'),
    inputs: join(root, 'inputs'),
    handoff: (taskId) => join(root, 'handoffs', `${taskId}.json`),
    marker: (taskId) => join(root, 'markers', `${taskId}.json`),
    prompt: (taskId) => join(root, 'prompts', `${taskId}.md`),
    log: (taskId) => join(root, 'logs', `${taskId}.log`),
    input: (name) => join(root, 'inputs', `${name}.json`),
  };
}
