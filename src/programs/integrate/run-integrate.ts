import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { AgentRuntime } from '../../agents/agent-runtime.js';
import { assertInstallDir } from '../../detect/assert-install-dir.js';
import { detectProject } from '../../detect/detect-project.js';
import { InputError } from '../../errors/input-error.js';
import { drainQueue, type DrainResult } from '../../executor/drain-queue.js';
import { RunQueue } from '../../executor/run-queue.js';
import { exploreRepo } from '../../explore/explore-repo.js';
import { DEFAULT_LIMITS, DEFAULT_MAX_ATTEMPTS, type QueueLimits } from '../../queue/limits.js';
import type { QueueState } from '../../queue/queue-state.js';
import type { RunObserver } from '../../queue/run-observer.js';
import { FileStore } from '../../store/file/file-store.js';
import { McpEndpoint } from '../../tools/mcp/mcp-endpoint.js';
import { DEFAULT_STATE_DIR_NAME } from '../../util/state-paths.js';
import { ObserverFanout } from '../observer-fanout.js';
import { runExitCode } from '../run-exit-code.js';
import { createTaskPreparer, loadIntegratePrompts } from './prepare-task.js';
import { seedFromExploration } from './seed-from-exploration.js';
import { seedWithAgent } from './seed-with-agent.js';

/** What to do with a run already in the state dir. */
export type ResumeMode = 'auto' | 'resume' | 'fresh';

export interface RunIntegrateOptions {
  readonly installDir: string;
  /** Default `<installDir>/.drover`. */
  readonly stateDir?: string;
  readonly agent: AgentRuntime;
  /** `explorer` (default): the deterministic seed step; `agent`: the seed prompt goes to `agent`. */
  readonly seed?: 'explorer' | 'agent';
  /** Every task type runs on the stub prompt (the walking skeleton). */
  readonly stubPrompts?: boolean;
  readonly promptsDir?: string;
  readonly concurrency?: number;
  readonly taskTimeoutMs?: number;
  readonly maxAttempts?: number;
  readonly limits?: Partial<QueueLimits>;
  /**
   * `auto`: resume an unfinished run (after `confirmResume`, when given), start over after a
   * finished one; `resume`: continue, or fail if there is nothing to continue; `fresh`: move
   * any old run aside and start over.
   */
  readonly resume?: ResumeMode;
  readonly confirmResume?: (state: QueueState) => Promise<boolean>;
  readonly observers?: readonly RunObserver[];
  readonly signal?: AbortSignal;
  readonly now?: () => Date;
  /** Serve the queue tools over MCP on 127.0.0.1 (needed by process agents). */
  readonly serveMcp?: boolean;
}

export interface RunIntegrateResult {
  readonly verdict: DrainResult;
  readonly exitCode: number;
  readonly runId: string;
  readonly stateDir: string;
  readonly resumed: boolean;
  /** Where an older run was moved by `fresh`, if anywhere. */
  readonly archivedTo: string | undefined;
  readonly warnings: readonly string[];
}

/**
 * `drover run --install-dir`: the orchestrator. It inspects the repository, seeds the task
 * graph, drains it with a fresh agent per task and persists everything in the state dir — and
 * writes nothing else. A killed run resumes from the state dir.
 */
export async function runIntegrate(options: RunIntegrateOptions): Promise<RunIntegrateResult> {
  const startedAt = Date.now();
  const installDir = resolve(options.installDir);
  assertInstallDir(installDir);
  const stateDir = resolve(options.stateDir ?? resolve(installDir, DEFAULT_STATE_DIR_NAME));
  const library = await loadIntegratePrompts(options.promptsDir, options.stubPrompts ?? false);
  const policy = {
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    taskTypes: library.resolver.allowsUnknownTypes ? null : new Set(library.resolver.taskTypes),
    sinkTypes: new Set(library.resolver.sinkTypes),
    defaultMaxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
  };
  const observers = new ObserverFanout(options.observers ?? []);
  const store = new FileStore(stateDir);
  let stored = await store.open();
  let queue: RunQueue | undefined;
  const mcp = options.serveMcp === true ? new McpEndpoint() : undefined;
  try {
    await mcp?.listen();
    const warnings = [...(stored?.warnings ?? [])];
    let archivedTo: string | undefined;
    if (stored !== undefined && stored.state.meta.installDir !== installDir) {
      throw new InputError(`holds a run for ${stored.state.meta.installDir}, not ${installDir}; pass --fresh to move it aside, or another --state-dir`, { file: stateDir });
    }
    const finished = stored !== undefined && stored.state.meta.status !== 'running' && stored.state.meta.status !== 'interrupted';
    const mode = options.resume ?? 'auto';
    if (mode === 'resume' && stored === undefined) throw new InputError('has no run to resume; run without --resume to start one', { file: stateDir });
    if (stored !== undefined && (mode === 'fresh' || (mode === 'auto' && finished) || (mode === 'auto' && options.confirmResume !== undefined && !(await options.confirmResume(stored.state))))) {
      archivedTo = await store.archive();
      stored = undefined;
    }
    const now = options.now;
    const resumed = stored !== undefined;
    queue = stored !== undefined ? await RunQueue.resume(store, stored.state, policy, now) : await RunQueue.start(store, { runId: randomUUID(), installDir, detected: await detectProject(installDir) }, policy, now);
    const state = queue.state;
    observers.runStart({ program: 'integrate', runId: state.meta.runId, installDir, stateDir, detected: state.meta.detected, resumed, startedAt }, state);
    queue.subscribe((event, current) => observers.event(event, current));
    if (!state.meta.seeded) {
      const detected = { framework: state.meta.detected.framework, packageManager: state.meta.detected.packageManager } as Parameters<typeof exploreRepo>[1];
      const exploration = await exploreRepo(installDir, detected);
      if (options.seed === 'agent') await seedWithAgent(queue, { agent: options.agent, library, installDir, stateDir, exploration, ...(options.signal !== undefined ? { signal: options.signal } : {}), ...(mcp !== undefined ? { mcp } : {}) });
      else await seedFromExploration(queue, detected, exploration);
      await queue.markSeeded();
    }
    // A finished run given --resume drains nothing and reports its verdict again.
    const verdict = await drainQueue(queue, {
      agent: options.agent,
      installDir,
      stateDir,
      concurrency: options.concurrency ?? 1,
      ...(options.taskTimeoutMs !== undefined ? { taskTimeoutMs: options.taskTimeoutMs } : {}),
      ...(options.signal !== undefined ? { signal: options.signal } : {}),
      prepare: createTaskPreparer(library, stateDir),
      onActivity: (taskId, line) => observers.activity(taskId, line),
      ...(mcp !== undefined ? { mcp } : {}),
    });
    const exitCode = runExitCode(verdict);
    observers.runEnd({ verdict, exitCode, state, endedAt: Date.now() });
    return { verdict, exitCode, runId: state.meta.runId, stateDir, resumed, archivedTo, warnings };
  } finally {
    await mcp?.close();
    if (queue !== undefined) await queue.close();
    else await store.close();
    await observers.close();
  }
}
