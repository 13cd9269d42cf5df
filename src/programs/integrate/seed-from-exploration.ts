import type { Detected } from '../../detect/detected.js';
import type { Exploration } from '../../explore/exploration.js';
import type { BatchEnqueue } from '../../queue/decide-enqueue.js';
import type { SeedOperations } from '../../tools/seed-operations.js';
import { boundedListInput } from './bounded-list-input.js';
import { stateDirWorkspace } from '../../workspace/index.js';

/** How many candidate files the plan task is pointed at; the rest it can find itself. */
const MAX_CANDIDATES = 40;

// Inputs stay within the limit every enqueue is held to: long lists go to a file (boundedListInput).

/**
 * The default seed step: a deterministic planner that turns what detection and exploration
 * found into the integration graph — `install` alongside `init` and `plan`, `instrument`
 * after all three, and the `report` sink after everything. Branches run in parallel; the
 * `plan` task enqueues `llm-analytics` itself when LLM calls were found (dynamic enqueue by a
 * running task). It uses `ensure`, so re-seeding after a crash reuses what was enqueued.
 */
export async function seedFromExploration(queue: Pick<SeedOperations, 'enqueueBatch'>, detected: Detected, exploration: Exploration, stateDir: string): Promise<string[]> {
  const llm = await boundedListInput(stateDirWorkspace(stateDir), 'llm-calls', exploration.llmCalls.map((call) => `${call.file}:${call.line}`));
  // One commit (one fsync) for the whole seed; `add` reuses what a crashed seed already enqueued.
  return queue.enqueueBatch((add) => seedGraph(add, detected, exploration, llm));
}

function seedGraph(add: BatchEnqueue, detected: Detected, exploration: Exploration, llm: Awaited<ReturnType<typeof boundedListInput>>): string[] {
  const { framework, packageManager } = detected;
  // Where the app lives, when not at the root: the SDK is installed there, not at the workspace root.
  const where = detected.appDir !== undefined && detected.appDir !== '.' ? { appDir: detected.appDir } : {};
  const install = add({ type: 'install', label: 'Install the SDK', inputs: { framework, packageManager, ...where }, reason: 'every integration needs the SDK' });
  const init = add({ type: 'init', label: 'Initialise PostHog', inputs: { framework, ...where, entryPoints: exploration.entryPoints.slice(0, 10) }, reason: 'the client is created once, at the entry point' });
  const plan = add({
    type: 'plan',
    label: 'Plan the events',
    inputs: {
      framework,
      candidates: seedCandidates(exploration),
      llmCalls: llm.listed,
      llmCallCount: llm.total,
      ...(llm.file !== null ? { llmCallsFile: llm.file } : {}),
      setupTaskIds: [install, init],
    },
    reason: 'decide which user actions to capture',
  });
  const instrument = add({ type: 'instrument', label: 'Add the capture calls', inputs: { framework }, dependsOn: [install, init, plan], reason: 'carry out the event plan' });
  const report = add({ type: 'report', label: 'Write the setup report', inputs: {}, dependsOn: [install, init, plan, instrument], reason: 'sum the run up for the user' });
  return [install, init, plan, instrument, report];
}

/**
 * The files the plan task starts from: pages, then API routes, each file once (a Django view
 * that renders a template and answers JSON is both), at most `MAX_CANDIDATES`.
 */
export function seedCandidates(exploration: Exploration): string[] {
  return [...new Set([...exploration.pages, ...exploration.apiRoutes])].slice(0, MAX_CANDIDATES);
}
