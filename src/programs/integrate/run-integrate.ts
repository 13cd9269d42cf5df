import { resolve } from 'node:path';
import { assertInstallDir } from '../../detect/assert-install-dir.js';
import { detectProject } from '../../detect/detect-project.js';
import type { Detected } from '../../detect/detected.js';
import { exploreRepo } from '../../explore/explore-repo.js';
import { loadProgramPrompts } from '../prepare-task.js';
import { runSession, type SessionOptions, type SessionResult } from '../run-session.js';
import { seedFromExploration } from './seed-from-exploration.js';
import { seedWithAgent } from './seed-with-agent.js';

export interface RunIntegrateOptions extends SessionOptions {
  /** `explorer` (default): the deterministic seed step; `agent`: the seed prompt goes to `agent`. */
  readonly seed?: 'explorer' | 'agent';
  /** Every task type runs on the stub prompt (the walking skeleton). */
  readonly stubPrompts?: boolean;
  readonly promptsDir?: string;
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
  return runSession(options, {
    name: 'integrate',
    prompts,
    detect: () => detectProject(installDir),
    async seed(queue, { stateDir, mcp }) {
      const { framework, packageManager } = queue.state.meta.detected;
      const detected = { framework, packageManager } as Detected;
      const exploration = await exploreRepo(installDir, detected);
      if (options.seed !== 'agent') {
        await seedFromExploration(queue, detected, exploration, stateDir);
        return;
      }
      await seedWithAgent(queue, { agent: options.agent, library: prompts, installDir, stateDir, exploration, ...(options.signal !== undefined ? { signal: options.signal } : {}), ...(mcp !== undefined ? { mcp } : {}) });
    },
  });
}
