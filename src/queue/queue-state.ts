import type { Detected } from './events.js';
import type { Handoff } from './handoff.js';
import { MinHeap } from './min-heap.js';
import type { Task } from './task.js';

/**
 * A run's status as `queue.json` shows it.
 * `running` until `run-finished`, which sets `done`, `failed`, `blocked`, `interrupted` or
 * `cancelled`; `run-resumed` (and a `task-retried` that reopens the run) sets it back to `running`.
 */
export type RunStatus = 'running' | 'done' | 'failed' | 'blocked' | 'interrupted' | 'cancelled';

export interface RunMeta {
  readonly version: 1;
  runId: string;
  installDir: string;
  detected: Detected;
  seq: number;
  status: RunStatus;
  /** Whether the seed step finished (`run-seeded`). */
  seeded: boolean;
  createdAt: string;
  updatedAt: string;
  /** Set by `run-cancel-requested` (who asked, and when); cleared when the run is resumed or reopened. */
  cancel?: { readonly by: string; readonly address?: string; readonly at: string };
}

/**
 * The in-memory queue: the run's metadata, its tasks in enqueue order, and indices that keep
 * every transition O(1) amortised (who depends on whom, how many dependencies each task still
 * waits for, and a heap of ready tasks in enqueue order). The indices are derived: a snapshot
 * stores only `meta` and `tasks`, and `restoreQueueState` rebuilds the rest.
 */
export interface QueueState {
  readonly meta: RunMeta;
  readonly tasks: Map<string, Task>;
  readonly handoffs: Map<string, Handoff>;
  /** Enqueue position of each task; the ready heap orders by it. */
  readonly position: Map<string, number>;
  readonly byPosition: Task[];
  readonly dependents: Map<string, string[]>;
  /** Dependencies not yet satisfied, per task. */
  readonly unmet: Map<string, number>;
  readonly ready: MinHeap;
  /** `{type, inputs}` key → id of the live (not failed, not blocked) task holding it. */
  readonly liveKeys: Map<string, string>;
  /** How many tasks each task enqueued. */
  readonly children: Map<string, number>;
  readonly sinks: Set<string>;
}

export function emptyQueueState(): QueueState {
  return {
    meta: { version: 1, runId: '', installDir: '', detected: { framework: null, packageManager: null }, seq: 0, status: 'running', seeded: false, createdAt: '', updatedAt: '' },
    tasks: new Map(),
    handoffs: new Map(),
    position: new Map(),
    byPosition: [],
    dependents: new Map(),
    unmet: new Map(),
    ready: new MinHeap(),
    liveKeys: new Map(),
    children: new Map(),
    sinks: new Set(),
  };
}
