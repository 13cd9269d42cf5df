/**
 * drover: run fleets of coding-agent tasks durably.
 *
 * The root entry point is the task-queue engine: run a program (`runIntegrate`, `runSession`),
 * or drive the queue yourself (`RunQueue` on a store, drained by `drainQueue` with an agent).
 * The list is deliberate and pinned by `test/public-api.test.ts` (ARCHITECTURE.md habit 6): a
 * module exported here is a promise to users, so nothing reaches it by `export *`. The pure queue
 * model (transitions, guards, the ready set) is `drover/queue`; fanout/reconcile is
 * `drover/fanout`; test doubles are `drover/testing`; observers for telemetry `drover/telemetry`.
 */

// Programs: seed a run and drain it, with resume, observers and the exit code.
export { runIntegrate, type RunIntegrateOptions } from './programs/integrate/run-integrate.js';
export { runSession, type ResumeMode, type SessionOptions, type SessionResult, type ProgramDefinition, type SeedContext } from './programs/run-session.js';
export { runFanoutPlan, type RunFanoutPlanOptions, type RunFanoutPlanResult } from './programs/fanout/run-fanout-plan.js';
export { runExitCode } from './programs/run-exit-code.js';

// The engine: the single writer, and the local run (the one runner, `Worker`, over a local backend on the queue).
export { RunQueue, type QueueListener, type StagedListener, type BatchEnqueue, type AttemptEnd, type RunIdentity } from './backend/local/run-queue.js';
export { drainQueue, type DrainOptions, type DrainResult, type PreparedTask } from './runner/drain-queue.js';

// Stores: where a run lives.
export type { Store, StoredRun } from './store/store.js';
export { FileStore, type FileStoreOptions } from './store/file/file-store.js';
export type { HandoffCopyFs } from './store/file/handoff-copies.js';
export { MemoryStore } from './store/memory/memory-store.js';
export { nodeStateFs, type StateFs, type StateFile } from './util/state-fs.js';
export { statePaths, DEFAULT_STATE_DIR_NAME, type StatePaths } from './util/state-paths.js';

// Agents: one fresh agent per attempt.
export type { AgentContext, AgentHints, AgentRuntime } from './agents/agent-runtime.js';
export type { AttemptWorkspace } from './workspace/workspace.js';
export { functionAgent } from './agents/function-agent.js';
export { stubAgent, type StubAgentOptions } from './agents/stub-agent.js';
export { commandAgent, type CommandAgentOptions } from './agents/command-agent.js';
export { claudeCodeAgent, type CliAgentOptions } from './agents/claude-code-agent.js';
export { codexAgent } from './agents/codex-agent.js';

// The queue tools an agent calls.
export { createToolSession, type ToolSession } from './tools/tool-session.js';
export type { Caller, QueueOperations, ToolOutcome } from './queue/queue-operations.js';
export { QUEUE_TOOL_NAMES, type QueueToolName, type EnqueueTaskInput, type CompleteTaskInput, type ReadHandoffsInput, type HandoffInput } from './tools/tool-schemas.js';

// The queue's vocabulary, as the engine's callers see it (the pure functions are `drover/queue`).
export type { Task, TaskStatus, TaskError, EnqueuedBy } from './queue/task.js';
export { TERMINAL_STATUSES, isTerminal } from './queue/task.js';
export type { Handoff } from './queue/handoff.js';
export type { QueueEvent, QueueEventName, Detected } from './queue/events.js';
export type { QueueState, RunMeta, RunStatus } from './queue/queue-state.js';
export type { EnqueueRequest, EnqueuePolicy } from './queue/decide-enqueue.js';
export type { Verdict } from './queue/verdict.js';
export { DEFAULT_LIMITS, DEFAULT_MAX_ATTEMPTS, type QueueLimits } from './queue/limits.js';
export type { RunObserver, RunStartInfo, RunEndInfo } from './queue/run-observer.js';

// Errors, with stable codes and exit codes.
export { DroverError, isDroverError, type DroverErrorCode } from './errors/drover-error.js';
export { InputError } from './errors/input-error.js';
export { UsageError } from './errors/usage-error.js';
export { ExitCode, exitCodeFor } from './errors/exit-codes.js';
export { StateWriteError, isStateWriteError } from './errors/state-write-error.js';
