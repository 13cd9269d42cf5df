import type { ActionActor, QueueEventDraft } from './events.js';
import type { QueueState } from './queue-state.js';
import { computeVerdict } from './verdict.js';

export type CancelDecision = { readonly ok: true } | { readonly ok: false; readonly message: string };

/** Whether a person may cancel the run now: only a running run, once. */
export function decideCancel(state: QueueState): CancelDecision {
  const { meta } = state;
  if (meta.status !== 'running') return { ok: false, message: `run ${meta.runId} is not running (${meta.status}): there is nothing to cancel` };
  if (meta.cancel !== undefined) return { ok: false, message: `run ${meta.runId} is already being cancelled (asked at ${meta.cancel.at})` };
  return { ok: true };
}

/**
 * The whole cancel of a run no process is working (or, on PostgreSQL, of any run: one
 * transaction ends it and the workers' heartbeats then find their leases gone): the request,
 * each running attempt given back, and `run-finished` with verdict `cancelled`. `stage` applies
 * each draft before the next is decided.
 */
export function stageCancel(state: QueueState, actor: ActionActor, stage: (draft: QueueEventDraft) => void): void {
  stage({ event: 'run-cancel-requested', ...actor });
  for (const task of state.byPosition.filter((t) => t.status === 'running')) {
    stage({ event: 'task-requeued', taskId: task.id, error: { kind: 'interrupted', message: 'the run was cancelled; the attempt was given back' }, attempts: Math.max(0, task.attempts - 1) });
  }
  const verdict = computeVerdict(state);
  stage({ event: 'run-finished', verdict: 'cancelled', failed: verdict.failed, blocked: verdict.blocked });
}

/** The verdict a run that stopped early records: `cancelled` when someone asked for it, else `interrupted`. */
export function stoppedVerdict(state: QueueState): 'interrupted' | 'cancelled' {
  return state.meta.cancel !== undefined ? 'cancelled' : 'interrupted';
}
