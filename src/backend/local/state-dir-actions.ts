import { isDroverError } from '../../errors/drover-error.js';
import { RunQueue } from './run-queue.js';
import type { EnqueuePolicy } from '../../queue/decide-enqueue.js';
import type { ActionActor } from '../../queue/events.js';
import { DEFAULT_LIMITS, DEFAULT_MAX_ATTEMPTS } from '../../queue/limits.js';
import { FileStore } from '../../store/file/file-store.js';
import type { ActionOutcome, LiveRunWriter, RunActions } from '../backend.js';

/** What a retry needs of a policy: its fresh attempt budget. Nothing is enqueued through it. */
const ACTION_POLICY: EnqueuePolicy = { limits: DEFAULT_LIMITS, taskTypes: new Set(), sinkTypes: new Set(), defaultMaxAttempts: DEFAULT_MAX_ATTEMPTS };

export interface StateDirActionsOptions {
  /**
   * The run this process is working, if any (`drover run --dashboard --allow-actions`): its
   * single writer records the action, and the run reacts to it (a cancel stops the agents).
   */
  readonly writer?: () => LiveRunWriter | undefined;
  readonly policy?: EnqueuePolicy;
}

/**
 * The dashboard's actions on a state directory. A run is written by one process only: the run's
 * own when it is live here (`writer`); else the state lock is taken, the action appended, the
 * lock released — a retried task then runs on the next `drover run --resume`, a cancelled run
 * ends at once. A run live in ANOTHER process (it holds the lock) is refused with its pid.
 */
export class StateDirActions implements RunActions {
  readonly root: string;
  readonly #writer: () => LiveRunWriter | undefined;
  readonly #policy: EnqueuePolicy;

  constructor(root: string, options: StateDirActionsOptions = {}) {
    this.root = root;
    this.#writer = options.writer ?? (() => undefined);
    this.#policy = options.policy ?? ACTION_POLICY;
  }

  retryTask(runId: string, taskId: string, actor: ActionActor): Promise<ActionOutcome> {
    return this.#act(runId, (live) => live.retryTask(runId, taskId, actor), (queue) => queue.retryTask(taskId, actor));
  }

  cancelRun(runId: string, actor: ActionActor): Promise<ActionOutcome> {
    // No process works it: the cancel is settled here (attempts given back, run-finished cancelled).
    return this.#act(runId, (live) => live.cancelRun(runId, actor), (queue) => queue.requestCancel(actor, true));
  }

  async #act(runId: string, live: (actions: RunActions) => Promise<ActionOutcome>, stopped: (queue: RunQueue) => Promise<ActionOutcome>): Promise<ActionOutcome> {
    const own = this.#writer();
    if (own !== undefined) return own.runId === runId ? live(own.actions) : { ok: false, message: `run ${runId} is not the run this process is working: an archived run cannot be changed` };
    const store = new FileStore(this.root);
    let stored;
    try {
      stored = await store.open();
    } catch (error) {
      if (isDroverError(error) && error.code === 'state-locked') {
        const pid = /pid (\d+)/.exec(error.message)?.[1];
        return { ok: false, message: `the run is live in ${pid !== undefined ? `process ${pid}` : 'another drover process'}; start it with --dashboard --allow-actions, or act after it stops` };
      }
      throw error;
    }
    if (stored === undefined || stored.state.meta.runId !== runId) {
      await store.close();
      return { ok: false, message: `run ${runId} is not the current run of ${this.root}: an archived run cannot be changed` };
    }
    const queue = new RunQueue(store, stored.state, this.#policy);
    try {
      return strip(await stopped(queue));
    } finally {
      await queue.close();
    }
  }
}

function strip(outcome: { ok: true } | { ok: false; message: string }): ActionOutcome {
  return outcome.ok ? { ok: true } : { ok: false, message: outcome.message };
}
