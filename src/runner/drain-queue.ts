import { resolve } from 'node:path';
import type { AgentRuntime } from '../agents/agent-runtime.js';
import { LocalBackend } from '../backend/local/local-backend.js';
import type { RunQueue } from '../backend/local/run-queue.js';
import type { Handoff } from '../queue/handoff.js';
import type { Task } from '../queue/task.js';
import { computeVerdict, type Verdict } from '../queue/verdict.js';
import type { McpEndpoint } from '../tools/mcp/mcp-endpoint.js';
import type { PreparedTask } from './prepared-task.js';
import { stateDirWorkspace } from '../workspace/index.js';
import { Worker } from './worker.js';

export type { PreparedTask } from './prepared-task.js';

export interface DrainOptions {
  readonly agent: AgentRuntime;
  readonly installDir: string;
  /** The run's state dir: each attempt's files (prompt, log, markers, agent records) go where SPEC.md says. */
  readonly stateDir: string;
  /** Tasks running at once (default 1). */
  readonly concurrency?: number;
  /** Per-attempt wall-clock limit; the agent is aborted when it passes. */
  readonly taskTimeoutMs?: number;
  /** After an abort, how long to wait for the agent to stop before moving on without it. */
  readonly abortGraceMs?: number;
  /** Stop starting (and later abort) when this fires; the run stays resumable. */
  readonly signal?: AbortSignal;
  /** Builds the prompt for an attempt; `upstream` is every ancestor's handoff, roots first. */
  readonly prepare?: (task: Task, attempt: number, upstream: ReadonlyArray<{ task: Task; handoff: Handoff }>) => Promise<PreparedTask>;
  readonly onActivity?: (taskId: string, line: string) => void;
  /** Serve each attempt's tools over MCP too, with a token that dies with the attempt. */
  readonly mcp?: McpEndpoint;
  /** Total starts allowed, as a multiple of the task count (default 10), so nothing loops forever. */
  readonly maxStartsPerTask?: number;
  /** The seeders `agent` can run: the run's seed task is claimed only with its seeder (see `queue/seed-task.ts`). */
  readonly seeders?: readonly string[];
}

export type DrainResult = Verdict | { readonly status: 'interrupted' | 'cancelled'; readonly unfinished: readonly string[]; readonly failed: readonly string[]; readonly blocked: readonly string[] };

/**
 * The local run: drains `queue` (a run begun or recovered on a store this process holds) with
 * the one runner there is — a `Worker` over a `LocalBackend` over the queue. The worker starts
 * ready tasks (earliest enqueued first) up to the concurrency cap, one fresh agent per attempt,
 * a dependent the moment its last dependency reports (in the same commit), never two
 * overlapping write scopes at once; leases never expire (one process) and cost no heartbeat.
 * Ends when nothing is running and nothing is ready, with the verdict recorded by
 * `run-finished`; stopped by `signal`, attempts are given back and the verdict is
 * `interrupted`. A persistence failure (full disk, unwritable state dir) gives the attempts
 * back and is thrown. The queue stays open: its owner closes it.
 */
export async function drainQueue(queue: RunQueue, options: DrainOptions): Promise<DrainResult> {
  const stateDir = resolve(options.stateDir);
  const workspace = stateDirWorkspace(stateDir);
  const backend = LocalBackend.over(queue, { retainEvents: false });
  const { prepare, onActivity } = options;
  const worker = new Worker({
    backend,
    agent: options.agent,
    workdir: options.installDir,
    stateDir,
    workspace: () => workspace,
    stateDirHeld: true,
    assumeSeeded: true,
    saveArtifacts: false,
    runId: queue.state.meta.runId,
    leaseMs: Number.POSITIVE_INFINITY,
    concurrency: options.concurrency ?? 1,
    ...(options.taskTimeoutMs !== undefined ? { taskTimeoutMs: options.taskTimeoutMs } : {}),
    ...(options.abortGraceMs !== undefined ? { abortGraceMs: options.abortGraceMs } : {}),
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
    ...(options.mcp !== undefined ? { mcp: options.mcp } : {}),
    ...(options.maxStartsPerTask !== undefined ? { maxStartsPerTask: options.maxStartsPerTask } : {}),
    ...(options.seeders !== undefined ? { seeders: options.seeders } : {}),
    ...(prepare !== undefined ? { prepare: (task, attempt, upstream) => prepare(task, attempt, upstream) } : {}),
    ...(onActivity !== undefined ? { onActivity: (ref, line) => onActivity(ref.taskId, line) } : {}),
  });
  try {
    await worker.run();
  } finally {
    await backend.close();
  }
  const verdict = computeVerdict(queue.state);
  if (options.signal?.aborted === true && verdict.status === 'incomplete') {
    if (queue.state.meta.status === 'running') await queue.finish('interrupted', verdict.failed, verdict.blocked);
    return { status: 'interrupted', unfinished: verdict.unfinished, failed: verdict.failed, blocked: verdict.blocked };
  }
  if (verdict.status !== 'incomplete' && queue.state.meta.status === 'running') await queue.finish(verdict.status, verdict.failed, verdict.blocked);
  return verdict;
}
