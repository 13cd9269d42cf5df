import { setMaxListeners } from 'node:events';
import type { AgentHints, AgentRuntime } from '../agents/agent-runtime.js';
import { isDroverError } from '../errors/drover-error.js';
import { ancestors } from '../queue/ancestors.js';
import type { Handoff } from '../queue/handoff.js';
import { takeReadyOutsideScopes } from '../queue/write-scopes.js';
import type { Task } from '../queue/task.js';
import { computeVerdict, type Verdict } from '../queue/verdict.js';
import type { McpEndpoint, McpGrant } from '../tools/mcp/mcp-endpoint.js';
import { createToolSession } from '../tools/tool-session.js';
import { QUEUE_TOOL_NAMES, type QueueToolName } from '../tools/queue-tool-names.js';
import { setLongTimeout } from '../util/long-timeout.js';
import { untilSettledOrGrace } from '../util/until-settled-or-grace.js';
import type { AttemptEnd, RunQueue } from './run-queue.js';

/** What a task's agent is given besides the tools: its prompt, and which tools it may call. */
export interface PreparedTask {
  readonly prompt: string;
  readonly promptFile?: string;
  readonly allowedTools?: readonly QueueToolName[];
  /** The frontmatter's asks of the agent CLI (own tools, model, effort). */
  readonly hints?: AgentHints;
}

export interface DrainOptions {
  readonly agent: AgentRuntime;
  readonly installDir: string;
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
}

export type DrainResult = Verdict | { readonly status: 'interrupted'; readonly unfinished: readonly string[]; readonly failed: readonly string[]; readonly blocked: readonly string[] };

/**
 * Drains the queue: starts ready tasks (earliest enqueued first) up to the concurrency cap,
 * one fresh agent per attempt, and starts a dependent the moment its last dependency
 * finishes — not in waves. Ends when nothing is running and nothing is ready, and records the
 * verdict with `run-finished`.
 */
export async function drainQueue(queue: RunQueue, options: DrainOptions): Promise<DrainResult> {
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const maxStartsPerTask = options.maxStartsPerTask ?? 10;
  // Keyed by the attempt's promise, not the task id: a requeued task can start again before the old attempt's clean-up has run.
  const running = new Set<Promise<void>>();
  // A slot is held while the task is `running` in the queue, not until its agent has exited: a
  // completion frees its slot at once, so the start it enables is staged into the same commit.
  const holding = new Set<string>();
  // Write scopes of the attempts this drain started, until each attempt's agent has exited (it
  // may still be writing after it completed): no two overlapping at once.
  const writing = new Map<string, readonly string[]>();
  let starts = 0;
  let backstopTripped = false;
  // A persistence failure (full disk, read-only state dir): stop everything, give attempts back, rethrow.
  let fatal: { readonly error: unknown } | undefined;
  const stop = new AbortController();
  let wake: () => void = () => {};
  const unstage = queue.onStaged((events) => {
    if (events.some((event) => event.event !== 'guard-tripped' && event.event !== 'task-started')) wake();
  });
  const onAbort = (): void => {
    stop.abort();
    wake();
  };
  const signal = AbortSignal.any([stop.signal, ...(options.signal !== undefined ? [options.signal] : [])]);
  // Each running attempt listens on it.
  setMaxListeners(0, signal);
  options.signal?.addEventListener('abort', onAbort);
  const attemptOptions = { ...options, signal };
  try {
    for (;;) {
      for (const taskId of holding) if (queue.state.tasks.get(taskId)?.status !== 'running') holding.delete(taskId);
      while (!signal.aborted && holding.size < concurrency) {
        if (starts >= maxStartsPerTask * queue.state.tasks.size) {
          backstopTripped = true;
          break;
        }
        const task = takeReadyOutsideScopes(queue.state, writing);
        if (task === undefined) break;
        starts += 1;
        holding.add(task.id);
        const scope = task.writes !== undefined && task.writes.length > 0 ? [...task.writes] : undefined;
        if (scope !== undefined) writing.set(task.id, scope);
        const stopRun = (error: unknown): void => {
          fatal ??= { error };
          stop.abort();
        };
        const run: Promise<void> = runAttempt(queue, task, attemptOptions, stopRun)
          .catch(stopRun)
          .finally(() => {
            running.delete(run);
            // A requeued task may have started again already: release only this attempt's scope.
            if (scope !== undefined && writing.get(task.id) === scope) writing.delete(task.id);
            wake();
          });
        running.add(run);
      }
      if (running.size === 0) break;
      const woken = new Promise<void>((resolve) => (wake = resolve));
      await Promise.race([woken, ...running.values()]);
    }
  } finally {
    unstage();
    options.signal?.removeEventListener('abort', onAbort);
  }
  if (fatal !== undefined) throw fatal.error;
  if (options.signal?.aborted === true) {
    const verdict = computeVerdict(queue.state);
    if (verdict.status === 'incomplete') {
      await queue.finish('interrupted', verdict.failed, verdict.blocked);
      return { status: 'interrupted', unfinished: verdict.unfinished, failed: verdict.failed, blocked: verdict.blocked };
    }
  }
  if (backstopTripped) {
    const stuck = queue.state.byPosition.filter((task) => task.status === 'pending').map((task) => task.id);
    await queue.abandon(stuck, { kind: 'backstop', message: `the run reached its limit of ${maxStartsPerTask} starts per task and stopped starting tasks` });
  }
  const verdict = computeVerdict(queue.state);
  if (verdict.status !== 'incomplete') await queue.finish(verdict.status, verdict.failed, verdict.blocked);
  return verdict;
}

/**
 * drover could not persist the run (full disk, read-only or linked state dir): not the agent's
 * failure, so the attempt is given back and the run stops (see `drainQueue`).
 */
function isPersistenceFailure(error: unknown): boolean {
  return isDroverError(error) && (error.code === 'state-unwritable' || error.code === 'state-corrupt');
}

async function runAttempt(queue: RunQueue, task: Task, options: DrainOptions, stopRun: (error: unknown) => void): Promise<void> {
  const attempt = await queue.markStarted(task.id);
  const controller = new AbortController();
  const onRunAbort = (): void => controller.abort(new Interrupted());
  options.signal?.addEventListener('abort', onRunAbort);
  if (options.signal?.aborted === true) controller.abort(new Interrupted());
  // Chained, so a timeout past ~24.8 days (a Node timer's limit) does not fire at once.
  const cancelTimer = options.taskTimeoutMs === undefined ? undefined : setLongTimeout(() => controller.abort(new TimedOut(options.taskTimeoutMs!)), options.taskTimeoutMs);
  // A runaway agent (past its budget of refused calls) is stopped like a timed-out one.
  const unsubscribe = queue.subscribe((event) => {
    if (event.event === 'guard-tripped' && event.guard === 'refusal-budget' && event.taskId === task.id && event.attempt === attempt) controller.abort(new Runaway());
  });
  let end: AttemptEnd = { kind: 'returned' };
  let grant: McpGrant | undefined;
  let persistenceFailure: unknown;
  try {
    const prepared = options.prepare === undefined ? { prompt: '' } : await options.prepare(task, attempt, upstreamHandoffs(queue, task));
    const tools = createToolSession(queue, { kind: 'task', taskId: task.id, attempt }, prepared.allowedTools ?? QUEUE_TOOL_NAMES);
    grant = options.mcp?.grant(tools);
    const context = {
      ...(grant !== undefined ? { mcp: { url: grant.url, token: grant.token } } : {}),
      ...(prepared.hints !== undefined ? { hints: prepared.hints } : {}),
      attempt,
      tools,
      prompt: prepared.prompt,
      promptFile: prepared.promptFile,
      installDir: options.installDir,
      stateDir: options.stateDir,
      report: (line: string) => options.onActivity?.(task.id, line),
    };
    await untilSettledOrGrace(options.agent.run(task, context, controller.signal), controller.signal, options.abortGraceMs ?? 5000);
  } catch (error) {
    if (isPersistenceFailure(error)) persistenceFailure = error;
    end = { kind: 'threw', message: error instanceof Error ? error.message : String(error) };
  } finally {
    grant?.revoke();
    cancelTimer?.();
    unsubscribe();
    options.signal?.removeEventListener('abort', onRunAbort);
  }
  const reason: unknown = controller.signal.reason;
  if (reason instanceof TimedOut) end = { kind: 'timeout', afterMs: reason.afterMs };
  else if (reason instanceof Interrupted) end = { kind: 'interrupted' };
  else if (reason instanceof Runaway) end = { kind: 'runaway' };
  if (persistenceFailure !== undefined) {
    // Stop the run first (so nothing starts again), then give the attempt back if the log can still take it.
    stopRun(persistenceFailure);
    await queue.finishAttempt(task.id, attempt, { kind: 'interrupted' }).catch(() => undefined);
    return;
  }
  await queue.finishAttempt(task.id, attempt, end);
}

/** Every ancestor's handoff, roots first. Only computed when a prompt is built: it is O(ancestors). */
function upstreamHandoffs(queue: RunQueue, task: Task): Array<{ task: Task; handoff: Handoff }> {
  return ancestors(queue.state, task.id).flatMap((dep) => {
    const handoff = queue.state.handoffs.get(dep.id);
    return handoff === undefined ? [] : [{ task: dep, handoff }];
  });
}

class TimedOut extends Error {
  readonly afterMs: number;
  constructor(afterMs: number) {
    super(`timed out after ${afterMs} ms`);
    this.afterMs = afterMs;
  }
}

class Runaway extends Error {
  constructor() {
    super('runaway agent');
  }
}

class Interrupted extends Error {
  constructor() {
    super('interrupted');
  }
}
