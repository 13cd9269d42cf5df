import type { Detected } from '../../detect/detected.js';
import type { Exploration } from '../../explore/exploration.js';
import type { RunQueue } from '../../executor/run-queue.js';
import type { EnqueueRequest } from '../../queue/decide-enqueue.js';

/** How many candidate files the plan task is pointed at; the rest it can find itself. */
const MAX_CANDIDATES = 40;

/**
 * The default seed step: a deterministic planner that turns what detection and exploration
 * found into the integration graph — `install` alongside `init` and `plan`, `instrument`
 * after all three, and the `report` sink after everything. Branches run in parallel; the
 * `plan` task enqueues `llm-analytics` itself when LLM calls were found (dynamic enqueue by a
 * running task). It uses `ensure`, so re-seeding after a crash reuses what was enqueued.
 */
export async function seedFromExploration(queue: RunQueue, detected: Detected, exploration: Exploration): Promise<string[]> {
  const add = async (request: EnqueueRequest): Promise<string> => {
    const result = await queue.ensure(request);
    if (!result.ok) throw new Error(`seeding refused by guard ${result.guard}: ${result.message}`);
    return result.value.id;
  };
  const { framework, packageManager } = detected;
  // Where the app lives, when not at the root: the SDK is installed there, not at the workspace root.
  const where = detected.appDir !== undefined && detected.appDir !== '.' ? { appDir: detected.appDir } : {};
  const install = await add({ type: 'install', label: 'Install the SDK', inputs: { framework, packageManager, ...where }, reason: 'every integration needs the SDK' });
  const init = await add({ type: 'init', label: 'Initialise PostHog', inputs: { framework, ...where, entryPoints: exploration.entryPoints.slice(0, 10) }, reason: 'the client is created once, at the entry point' });
  const plan = await add({
    type: 'plan',
    label: 'Plan the events',
    inputs: {
      framework,
      candidates: seedCandidates(exploration),
      llmCalls: exploration.llmCalls.map((call) => `${call.file}:${call.line}`),
      setupTaskIds: [install, init],
    },
    reason: 'decide which user actions to capture',
  });
  const instrument = await add({ type: 'instrument', label: 'Add the capture calls', inputs: { framework }, dependsOn: [install, init, plan], reason: 'carry out the event plan' });
  const report = await add({ type: 'report', label: 'Write the setup report', inputs: {}, dependsOn: [install, init, plan, instrument], reason: 'sum the run up for the user' });
  return [install, init, plan, instrument, report];
}

/**
 * The files the plan task starts from: pages, then API routes, each file once (a Django view
 * that renders a template and answers JSON is both), at most `MAX_CANDIDATES`.
 */
export function seedCandidates(exploration: Exploration): string[] {
  return [...new Set([...exploration.pages, ...exploration.apiRoutes])].slice(0, MAX_CANDIDATES);
}
