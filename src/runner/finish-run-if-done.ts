import type { Backend } from '../backend/backend.js';
import { InputError } from '../errors/input-error.js';
import type { QueueSnapshot } from '../queue/snapshot.js';
import { computeVerdict } from '../queue/verdict.js';
import { mayRecordVerdict } from '../queue/seed-task.js';

/**
 * Records the run's verdict once it is seeded and nothing is pending or running, and returns the
 * run as it then is; returns undefined while the run still has work. A run another worker already
 * finished is returned as it is. `finishRun` records `run-finished` only for a running run, so
 * when several workers find the same run done at once, one verdict is recorded. With
 * `assumeSeeded` (the caller seeded the run in this process before draining it), a run without
 * its `run-seeded` mark may end too.
 */
export async function finishRunIfDone(backend: Backend, runId: string, assumeSeeded = false): Promise<QueueSnapshot | undefined> {
  const snapshot = await backend.readRun(runId);
  if (snapshot === undefined) throw new InputError(`no run ${runId} in this database`);
  if (snapshot.status !== 'running') return snapshot;
  // A run with a seed task is seeded by it: the verdict waits for it like for any task, and a seed that failed fails the run.
  if (!assumeSeeded && !mayRecordVerdict(snapshot)) return undefined;
  const verdict = computeVerdict({ byPosition: snapshot.tasks });
  if (verdict.status === 'incomplete') return undefined;
  await backend.finishRun(runId, verdict.status, verdict.failed, verdict.blocked);
  return backend.readRun(runId);
}
