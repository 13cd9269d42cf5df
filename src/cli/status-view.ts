import type { QueueState } from '../queue/queue-state.js';
import type { RunEndInfo } from '../queue/run-observer.js';
import { computeVerdict } from '../queue/verdict.js';
import { runExitCode } from '../programs/run-exit-code.js';
import { layoutRunView } from '../ui/layout-run-view.js';
import type { RunViewModel } from '../ui/run-view-model.js';
import type { Snapshot } from '../ui/layout-context.js';

/**
 * `drover status` draws the live view's task table from disk: the same header, marks and
 * dependency-depth order, with every task shown (nothing collapsed) and, for a finished run,
 * the same summary. Pacing figures exist only while a run is watched, so they are left out.
 * It is printed once, so running tasks get a still mark; when the run's process has died
 * (`alive: false`), they are shown stopped and every clock stops at the run's last write.
 */
export function renderStatusView(state: QueueState, stateDir: string, options: { width: number; color: boolean; now: number; alive: boolean }): string {
  const { meta } = state;
  const computed = computeVerdict(state);
  // A cancelled run has ended with tasks unfinished: its summary says cancelled (and how to resume).
  const verdict: RunEndInfo['verdict'] = meta.status === 'cancelled' ? { status: 'cancelled', unfinished: computed.status === 'incomplete' ? computed.unfinished : [], failed: computed.failed, blocked: computed.blocked } : computed;
  const finished = meta.status === 'cancelled' || (meta.status !== 'running' && verdict.status !== 'incomplete');
  // An action from the dashboard is an audited event; the one that changes how the run reads is shown.
  const notices = meta.cancel !== undefined ? [`cancel requested from the ${meta.cancel.by}${meta.cancel.address !== undefined ? ` (${meta.cancel.address})` : ''} at ${meta.cancel.at}`] : [];
  const program = state.byPosition.length > 0 && state.byPosition.every((task) => task.type === 'fanout-task') ? 'fanout' : 'integrate';
  const model: RunViewModel = {
    run: { program, runId: meta.runId, installDir: meta.installDir, stateDir, detected: meta.detected, resumed: false, startedAt: Date.parse(meta.createdAt) },
    tasks: state.byPosition,
    notices,
    guardTrips: 0,
    stopping: false,
    ...(finished ? { end: { verdict, exitCode: runExitCode(verdict), state, endedAt: Date.parse(meta.updatedAt) } } : {}),
  };
  const snapshot: Snapshot = options.alive ? 'live' : 'dead';
  const frozen = finished || !options.alive;
  const lines = layoutRunView(model, { width: options.width, height: state.tasks.size + 40, now: frozen ? Date.parse(meta.updatedAt) : options.now, color: options.color, snapshot });
  return `${lines.join('\n')}\n`;
}
