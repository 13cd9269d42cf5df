import { resolve } from 'node:path';
import { assertInstallDir } from '../../detect/assert-install-dir.js';
import { AppChoiceError } from '../../detect/app-choice-error.js';
import { detectProjectDetails } from '../../detect/detect-project.js';
import type { Detected } from '../../detect/detected.js';
import { exploreRepo, type ExploreOptions } from '../../explore/explore-repo.js';
import { loadProgramPrompts } from '../prepare-task.js';
import { ObserverFanout } from '../observer-fanout.js';
import { runSession, type ProgramDefinition, type SessionOptions, type SessionResult } from '../run-session.js';
import type { AgentRuntime } from '../../agents/agent-runtime.js';
import type { ProgramPrompts } from '../prepare-task.js';
import { seedFromExploration } from './seed-from-exploration.js';
import { seedWithAgent } from './seed-with-agent.js';

export interface RunIntegrateOptions extends SessionOptions {
  /** `explorer` (default): the deterministic seed step; `agent`: the seed prompt goes to `agent`. */
  readonly seed?: 'explorer' | 'agent';
  /** Every task type runs on the stub prompt (the walking skeleton). */
  readonly stubPrompts?: boolean;
  readonly promptsDir?: string;
  /** `--app DIR`: the app's folder inside the install directory, when the repository holds several. */
  readonly app?: string;
  /** Bounds of the exploration (time budget, file cap); the defaults suit `drover run`. */
  readonly explore?: ExploreOptions;
}

/**
 * `drover run --install-dir`: the orchestrator. It inspects the repository, seeds the task
 * graph, drains it with a fresh agent per task and persists everything in the state dir — and
 * writes nothing else. A killed run resumes from the state dir.
 */
export async function runIntegrate(options: RunIntegrateOptions): Promise<SessionResult> {
  const installDir = resolve(options.installDir);
  assertInstallDir(installDir);
  const prompts = await loadProgramPrompts({ overrideDir: options.promptsDir, stub: options.stubPrompts ?? false });
  // Said to the user through the observers (the progress view), once the run has started.
  const notes: string[] = [];
  const observers = new ObserverFanout(options.observers ?? []);
  return runSession(options, {
    name: INTEGRATE_SEEDER,
    prompts,
    async detect() {
      const details = await detectProjectDetails(installDir, { app: options.app });
      const { layout } = details;
      // Several apps and none chosen: stop before the state dir is written, and say how to choose.
      if (layout.kind === 'apps') throw new AppChoiceError(installDir, layout.apps);
      if (layout.kind === 'library') {
        const examples = layout.examples.length === 0 ? '' : `; its example apps are ${layout.examples.slice(0, 5).map((app) => app.dir).join(', ')}${layout.examples.length > 5 ? ', ...' : ''} (choose one with --app DIR)`;
        notes.push(`${installDir} looks like a library: ${layout.reason}${examples}`);
      }
      return { framework: details.framework, packageManager: details.packageManager, appDir: details.appDir };
    },
    seedInputs: () => ({ how: options.seed ?? 'explorer' }),
    async seed(queue, where) {
      for (const note of notes.splice(0)) observers.notice(note);
      await integrateSeed({ agent: options.agent, prompts, ...(options.explore !== undefined ? { explore: options.explore } : {}), notice: (line) => observers.notice(line) })(queue, where);
    },
  });
}

/** The integrate program's seeder (and name): any worker with the integrate prompts can run its seed task. */
export const INTEGRATE_SEEDER = 'integrate';

export interface IntegrateSeedOptions {
  readonly agent: AgentRuntime;
  readonly prompts: ProgramPrompts;
  readonly explore?: ExploreOptions;
  /** Told what the user should know (exploration stopped early); default the seed attempt's activity line. */
  readonly notice?: (line: string) => void;
}

/**
 * The integrate program's seed step (seeder `integrate`), for `drover run` and for any
 * `drover worker`: it explores the checkout it runs in (`where.installDir`: the worker's own
 * workdir), then enqueues the graph deterministically (`how: explorer`, the default) or hands the
 * seed prompt to the agent (`how: agent`). What it needs besides the checkout is in the seed
 * task's inputs (the detection, `how`), so a worker on another machine can run it.
 */
export function integrateSeed(options: IntegrateSeedOptions): ProgramDefinition['seed'] {
  return async (queue, where) => {
    const { installDir, stateDir, mcp, detected: stored, createdAt, signal } = where;
    const notice = options.notice ?? where.report ?? (() => {});
    const { framework, packageManager, appDir } = stored;
    const detected = { framework, packageManager, ...(appDir !== undefined ? { appDir } : {}) } as Detected;
    const exploration = await exploreRepo(installDir, detected, { ...options.explore, ...(signal !== undefined ? { signal } : {}) });
    // Stopped while exploring: the exploration is cut short, and a graph seeded from it would differ from the next
    // attempt's (a plan task with other candidates would be a second plan, not a twin). Seed nothing; the next attempt will.
    if (signal?.aborted === true) return;
    if (exploration.truncated) {
      const at = appDir !== undefined && appDir !== '.' ? `${appDir}/` : installDir;
      notice(`exploring ${at} stopped early (${exploration.truncatedBy ?? 'a limit'}) after ${exploration.filesWalked} files: the entry points and candidates given to the plan may be partial`);
    }
    if (where.inputs?.['how'] !== 'agent') {
      await seedFromExploration(queue, detected, exploration, stateDir);
      return;
    }
    await seedWithAgent(queue, { agent: options.agent, library: options.prompts, installDir, stateDir, exploration, detected, createdAt, ...(signal !== undefined ? { signal } : {}), ...(mcp !== undefined ? { mcp } : {}), ...(where.workspace !== undefined ? { workspace: where.workspace } : {}), ...(where.savePrompt !== undefined ? { savePrompt: where.savePrompt } : {}) });
  };
}
