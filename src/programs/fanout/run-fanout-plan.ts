import { createHash } from 'node:crypto';
import { basename, join, resolve } from 'node:path';
import { fanoutQueueTaskIds, fanoutRecords, fanoutTaskRequests, seedFanoutRequests } from '../../bridge/fanout-queue-bridge.js';
import { describePlanChange, diffPlanAgainstQueue } from '../../bridge/diff-plan-against-queue.js';
import { InputError } from '../../errors/input-error.js';
import { normalizeFanoutPlan } from '../../fanout/reconcile/index.js';
import { planDependencies } from '../../fanout/plan/index.js';
import { bundledPromptsDir } from '../../prompts/bundled-prompts-dir.js';
import { writeFileAtomic } from '../../util/write-file-atomic.js';
import { loadProgramPrompts } from '../prepare-task.js';
import { runSession, type SessionOptions, type SessionResult } from '../run-session.js';
import { gateOnRequiredOutputs } from './gate-on-required-outputs.js';
import { readFanoutPlan } from './read-fanout-plan.js';

export interface RunFanoutPlanOptions extends SessionOptions {
  /** A plan written by `drover fanout plan` (or the Homeboy reference). */
  readonly planFile: string;
  /** Where to write the records `drover fanout reconcile` reads. */
  readonly recordsOut: string;
  readonly promptsDir?: string;
}

export interface RunFanoutPlanResult extends SessionResult {
  /** Whether the records file was written (not when the run was interrupted). */
  readonly recordsWritten: boolean;
}

/**
 * `drover run --plan`: executes a fanout plan's task requests as queue tasks — one fresh agent
 * per request, durable and resumable like any run — and writes the records file for
 * `drover fanout reconcile`, closing the loop between the two halves of drover. A request's
 * `depends_on` (earlier request ids) becomes `dependsOn` edges: the upstream handoffs are in the
 * downstream prompt, and a request whose upstream left no output is not run (see
 * `gateOnRequiredOutputs`). The plan is read like `drover fanout reconcile` reads it.
 */
export async function runFanoutPlan(options: RunFanoutPlanOptions): Promise<RunFanoutPlanResult> {
  const planFile = resolve(options.planFile);
  const { tasks, identities } = normalizeFanoutPlan(await readFanoutPlan(planFile), planFile);
  const dependencies = planDependencies(tasks, identities, planFile);
  const prompts = await loadProgramPrompts({ dir: join(bundledPromptsDir(), 'fanout'), overrideDir: options.promptsDir });
  const requests = fanoutTaskRequests(tasks, identities);
  const result = await runSession(
    { ...options, agent: gateOnRequiredOutputs(options.agent), limits: { ...options.limits, maxTasks: Math.max(options.limits?.maxTasks ?? 0, requests.length, 1) } },
    {
      name: 'fanout',
      prompts,
      detect: async () => ({ framework: null, packageManager: null }),
      // The requests are read from this process's plan file: only a process that read this very plan runs the seed task
      // (with --store, this drover run; a drover worker elsewhere has no seeder of that name).
      seeder: `fanout:${createHash('sha256').update(JSON.stringify({ requests, dependencies: [...dependencies] })).digest('hex').slice(0, 16)}`,
      seedInputs: () => ({ plan: basename(planFile), requests: requests.length }),
      assertResumable(state, stateDir) {
        // Resuming must run the plan that was started: never old tasks under a new plan's records.
        const change = diffPlanAgainstQueue(state, requests);
        if (change !== undefined) throw new InputError(`changed since the unfinished run in ${stateDir} started: ${describePlanChange(change)}; pass --fresh to start over with this plan`, { file: planFile });
      },
      async seed(queue) {
        // One commit (one fsync) for the whole plan; `add` reuses what a crashed seed already enqueued.
        await queue.enqueueBatch((add) => {
          seedFanoutRequests(
            (request) => {
              try {
                return add(request);
              } catch (error) {
                throw new Error(`could not enqueue ${String(request.inputs?.requestId)}: ${(error as Error).message}`, { cause: error });
              }
            },
            requests,
            dependencies,
          );
        });
      },
    },
  );
  if (result.verdict.status === 'interrupted') return { ...result, recordsWritten: false };
  const records = fanoutRecords(result.state, fanoutQueueTaskIds(result.state), tasks, identities);
  await writeFileAtomic(resolve(options.recordsOut), `${JSON.stringify(records, null, 2)}\n`);
  return { ...result, recordsWritten: true };
}
