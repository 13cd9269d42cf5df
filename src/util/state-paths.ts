import { join } from 'node:path';

export { DEFAULT_STATE_DIR_NAME, resolveStateDir } from './state-dir.js';

/**
 * Where each piece of a run's state lives inside the state directory (SPEC "Run state on disk").
 * The layout is known to the file store, the local backend and the workspace only (an eslint
 * rule keeps it there); everything above reaches run data through the backend port or the
 * workspace port.
 */
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
