import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { AgentRuntime } from '../agents/agent-runtime.js';
import { InputError } from '../errors/input-error.js';
import { drainQueue, type DrainResult } from '../runner/drain-queue.js';
import { RunQueue } from '../backend/local/run-queue.js';
import type { Detected } from '../queue/events.js';
import type { QueueLimits } from '../queue/limits.js';
import { enqueuePolicy } from './enqueue-policy.js';
import { emptyQueueState, type QueueState } from '../queue/queue-state.js';
import type { RunObserver } from '../queue/run-observer.js';
import { FileStore } from '../store/file/file-store.js';
import type { McpEndpoint } from '../tools/mcp/mcp-endpoint.js';
import type { SeedOperations } from '../tools/seed-operations.js';
import { resolveStateDir } from '../util/state-dir.js';
import { stateDirWorkspace } from '../workspace/index.js';
import { createTaskPreparer, type ProgramPrompts } from './prepare-task.js';
import { ObserverFanout } from './observer-fanout.js';
import { runExitCode } from './run-exit-code.js';
import type { ActionOutcome, LiveRunWriter, RunActions } from '../backend/backend.js';
import { StateDirReader } from '../backend/local/state-dir-reader.js';
import { readEventsAfter } from '../backend/read-events-after.js';
import type { QueueEvent } from '../queue/events.js';
import { programSeedTask, withSeedPreparer, withSeedStep } from './seed-step.js';
import type { AttemptWorkspace } from '../workspace/workspace.js';

/** What to do with a run already in the state dir. */
export type ResumeMode = 'auto' | 'resume' | 'fresh';

/** Options every program run shares (`drover run --install-dir`, `drover run --plan`). */
export interface SessionOptions {
  readonly installDir: string;
  /** Default `<installDir>/.drover`. */
  readonly stateDir?: string;
  readonly agent: AgentRuntime;
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
  /**
   * Keep the run in PostgreSQL instead of the state dir (`--store URL`): a new run is created and
   * seeded there, then this process works it as one worker among any others; the state dir holds
   * only this worker's prompts, logs and agent records.
   */
  readonly store?: StoreOptions;
  /**
   * Told who records actions on the run once it has started (and `undefined` when it closes):
   * `drover run --dashboard --allow-actions` records the dashboard's actions through it. A retry
   * is started by the drain like any ready task; a cancel request stops the drain.
   */
  readonly onWriter?: (writer: LiveRunWriter | undefined) => void;
}

export interface StoreOptions {
  /** `postgres://…`, optionally with `?schema=NAME` (default schema `drover`). */
  readonly url: string;
  /** How long a claim lasts without a heartbeat (default 30 s). */
  readonly leaseMs?: number;
  /** Create and seed the run, then return (verdict `incomplete`, exit 0) and leave it to `drover worker`s. */
  readonly seedOnly?: boolean;
}

export interface SessionResult {
  readonly verdict: DrainResult;
  readonly exitCode: number;
  readonly runId: string;
  readonly stateDir: string;
  readonly resumed: boolean;
  /** Where an older run was moved by `fresh`, if anywhere. */
  readonly archivedTo: string | undefined;
  readonly warnings: readonly string[];
  readonly state: QueueState;
}

export interface SeedContext {
  readonly installDir: string;
  readonly stateDir: string;
  /** What detection found when the run started, and when that was. */
  readonly detected: Detected;
  readonly createdAt: string;
  /** The run's MCP endpoint, when it serves one (a seed agent gets an enqueue-only token on it). */
  readonly mcp: McpEndpoint | undefined;
  /** The seed attempt's stop: Ctrl-C, a cancel asked for from the dashboard, a lost lease, its timeout (a seed agent is stopped). */
  readonly signal?: AbortSignal;
  /** Where the seed attempt writes (its prompt, the seed agent's log and process group record), when it runs as the run's seed task. */
  readonly workspace?: AttemptWorkspace;
  /** The seed task's inputs (what `ProgramDefinition.seedInputs` gave, the detection, the seeder). */
  readonly inputs?: Readonly<Record<string, unknown>>;
  /** A line of activity for the live view. */
  readonly report?: (line: string) => void;
  /** Stores the seed attempt's prompt with the run's backend (a seed agent's assembled prompt), when the worker saves artifacts. */
  readonly savePrompt?: (text: string) => Promise<void>;
}

/** What a program adds to a session: its name, prompts, what it detects and how it seeds. */
export interface ProgramDefinition {
  readonly name: string;
  readonly prompts: ProgramPrompts;
  detect(): Promise<Detected>;
  /** Throws (an `InputError`, exit 2) when the stored run cannot be resumed with this program's input, e.g. its plan file changed. */
  assertResumable?(state: QueueState, stateDir: string): void;
  /**
   * Enqueues the initial graph (into a state dir's `RunQueue` or a backend's run, alike), as the
   * attempt of the run's seed task (`queue/seed-task.ts`), claimed and run by the worker like any
   * task; the task's completion marks the run seeded. A stopped or crashed attempt is tried again
   * (`enqueueBatch` reuses live twins, so nothing doubles); one that throws fails the attempt.
   */
  seed(queue: SeedOperations, where: SeedContext): Promise<void>;
  /**
   * Which workers may run the seed task: those that have this seeder (default the program's name).
   * A seed that reads something only this process has (a plan file) names it uniquely.
   */
  readonly seeder?: string;
  /** What the seed task carries besides the detection (what a worker elsewhere needs to run `seed`). */
  seedInputs?(): Record<string, unknown>;
}

/**
 * The life of one program run: lock and recover the state dir, start or resume the run, seed it
 * once, drain it with a fresh agent per task, record the verdict, and release everything — with
 * observers told at each step. Only the state dir is written.
 */
export async function runSession(options: SessionOptions, program: ProgramDefinition): Promise<SessionResult> {
  const startedAt = Date.now();
  const installDir = resolve(options.installDir);
  const stateDir = resolveStateDir(installDir, options.stateDir);
  const policy = enqueuePolicy(program.prompts, options);
  // A run kept in PostgreSQL (`--store`): seeded there, and worked through the port by this process and any other worker.
  if (options.store !== undefined) return (await import('./run-session-on-store.js')).runSessionOnStore({ ...options, store: options.store }, program, policy);
  const observers = new ObserverFanout(options.observers ?? []);
  // The MCP SDK is a third of a second of imports: loaded only when agents will call the tools.
  const mcp = options.serveMcp === true ? new (await import('../tools/mcp/mcp-endpoint.js')).McpEndpoint() : undefined;
  const store = new FileStore(stateDir);
  // A state dir this call creates and then never begins a run in (several apps and no --app, a
  // detection error) is removed again: a refused run leaves nothing behind in the user's repository.
  const createdStateDir = !existsSync(stateDir);
  let stored = await store.open();
  let queue: RunQueue | undefined;
  try {
    await mcp?.listen();
    const warnings = [...(stored?.warnings ?? [])];
    // Agents of a drover that died (SIGKILL, power cut) may still run and still edit the project:
    // kill them, now that the lock is ours, before anything is resumed or retried.
    const reaped = await stateDirWorkspace(stateDir).reapOrphanedProcessGroups();
    if (reaped.length > 0) warnings.push(`killed ${reaped.length} agent process group(s) a stopped drover left running (pgid ${reaped.join(', ')})`);
    let archivedTo: string | undefined;
    const mode = options.resume ?? 'auto';
    if (mode === 'resume' && stored === undefined) throw new InputError('has no run to resume; run without --resume to start one', { file: stateDir });
    if (stored !== undefined && stored.state.meta.installDir !== installDir && mode !== 'fresh') {
      throw new InputError(`holds a run for ${stored.state.meta.installDir}, not ${installDir}; pass --fresh to move it aside, or another --state-dir`, { file: stateDir });
    }
    const finished = stored !== undefined && stored.state.meta.status !== 'running' && stored.state.meta.status !== 'interrupted';
    if (stored !== undefined && (mode === 'fresh' || (mode === 'auto' && finished) || (mode === 'auto' && options.confirmResume !== undefined && !(await options.confirmResume(stored.state))))) {
      archivedTo = await store.archive();
      stored = undefined;
    }
    if (stored !== undefined) program.assertResumable?.(stored.state, stateDir);
    // Observers subscribe before the first event, so they see run-started / run-resumed too.
    const identity = stored !== undefined ? stored.state.meta : { runId: randomUUID(), installDir, detected: await program.detect() };
    queue = new RunQueue(store, stored?.state ?? emptyQueueState(), policy, options.now);
    const state = queue.state;
    const resumed = stored !== undefined;
    observers.runStart(
      { program: program.name, runId: identity.runId, installDir, stateDir, detected: identity.detected, resumed, startedAt, events: (after) => stateDirEvents(stateDir, identity.runId, after), kept: { kind: 'state-dir', handoffsDir: store.paths.handoffs } },
      state,
    );
    queue.subscribe((event, current) => observers.event(event, current));
    // A cancel asked for from the dashboard stops the drain as Ctrl-C does; `finish` then records `cancelled`.
    const cancel = new AbortController();
    queue.subscribe((event) => {
      if (event.event === 'run-cancel-requested') cancel.abort();
    });
    const signal = options.signal !== undefined ? AbortSignal.any([options.signal, cancel.signal]) : cancel.signal;
    if (resumed) await queue.recover();
    else await queue.begin({ runId: identity.runId, installDir, detected: identity.detected }, programSeedTask(program, identity.detected));
    // A run begun before the seed step was a task (or stopped between its start and its seed task) gets one now.
    if (resumed && state.meta.status === 'running') await queue.ensureSeedTask(programSeedTask(program, state.meta.detected));
    // Retries are taken while the run can still drain them: once the drain has returned, one is refused (409) with the
    // reason, and the state dir (whose lock this process still holds) is the place to retry once drover run has exited.
    const retries = { open: true };
    options.onWriter?.({ runId: state.meta.runId, actions: queueActions(queue, retries) });
    // The seed step is the run's seed task: the drain runs it like any task (Ctrl-C or a dashboard cancel stops it and
    // gives the attempt back), and the tasks it enqueues start as soon as they are ready.
    const seeder = program.seeder ?? program.name;
    const agent = withSeedStep(options.agent, { seeders: new Map([[seeder, (ops, where) => program.seed(ops, where)]]), operations: () => queue!, mcp });
    // A finished run given --resume drains nothing and reports its verdict again.
    const verdict: DrainResult = await drainQueue(queue, {
      agent,
      seeders: [seeder],
      installDir,
      stateDir,
      concurrency: options.concurrency ?? 1,
      ...(options.taskTimeoutMs !== undefined ? { taskTimeoutMs: options.taskTimeoutMs } : {}),
      signal,
      prepare: withSeedPreparer(createTaskPreparer(program.prompts, stateDirWorkspace(stateDir))),
      onActivity: (taskId, line) => observers.activity(taskId, line),
      ...(mcp !== undefined ? { mcp } : {}),
    });
    retries.open = false;
    options.onWriter?.(undefined);
    const ended: DrainResult = verdict.status === 'interrupted' && state.meta.status === 'cancelled' ? { ...verdict, status: 'cancelled' } : verdict;
    const exitCode = runExitCode(ended);
    observers.runEnd({ verdict: ended, exitCode, state, endedAt: Date.now() });
    return { verdict: ended, exitCode, runId: state.meta.runId, stateDir, resumed, archivedTo, warnings, state };
  } finally {
    options.onWriter?.(undefined);
    await mcp?.close();
    try {
      // Releases the lock even when the state dir cannot be written; then throws that failure.
      if (queue !== undefined) await queue.close();
      else {
        await store.close();
        if (createdStateDir) await rm(stateDir, { recursive: true, force: true });
      }
    } finally {
      await observers.close();
    }
  }
}

/**
 * The run's events after `after`, through the port's reader over the state dir (which follows the
 * journal the live store appends to, without writing it); the reader is closed when the reading ends.
 */
async function* stateDirEvents(stateDir: string, runId: string, after: number): AsyncGenerator<QueueEvent> {
  const reader = new StateDirReader(stateDir);
  try {
    yield* readEventsAfter(reader, runId, after);
  } finally {
    await reader.close();
  }
}

/** The draining run's actions: recorded by its own queue; a cancel is only requested (the drain, watching for it, ends the run). */
function queueActions(queue: RunQueue, retries: { readonly open: boolean }): RunActions {
  const strip = (outcome: { ok: true } | { ok: false; message: string }): ActionOutcome => (outcome.ok ? { ok: true } : { ok: false, message: outcome.message });
  return {
    retryTask: async (_runId, taskId, actor) => {
      if (!retries.open) return { ok: false, message: `run ${queue.state.meta.runId} is ending: retry ${taskId} once drover run has exited, then run drover run --resume` };
      return strip(await queue.retryTask(taskId, actor));
    },
    cancelRun: async (_runId, actor) => strip(await queue.requestCancel(actor, false)),
  };
}
