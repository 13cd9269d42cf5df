import type { GuardName } from './events.js';
import type { Handoff, HandoffReport } from './handoff.js';
import type { EnqueueRequest } from './decide-enqueue.js';
import type { QueueToolName } from './queue-tool-names.js';

/** Who is calling a tool: the orchestrator (seed step) or one attempt of one task. */
export type Caller = { readonly kind: 'orchestrator' } | { readonly kind: 'task'; readonly taskId: string; readonly attempt: number };

export type ToolOutcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly guard: GuardName; readonly message: string };

/**
 * What the tools need from whatever owns the run: the local backend's `RunQueue` (one process),
 * or a backend bound to one attempt (`tools/backendOperations`). Declared in the pure queue/ so
 * that tools/ (which calls it) and backend/local (which implements it) both depend downward.
 */
export interface QueueOperations {
  enqueue(request: EnqueueRequest, caller: Caller): Promise<ToolOutcome<{ id: string }>>;
  complete(caller: Caller, status: Handoff['status'], handoff: HandoffReport): Promise<ToolOutcome<{ status: Handoff['status'] }>>;
  /** Synchronous on the in-memory `RunQueue`; a backend answers asynchronously. */
  readHandoffs(query: { taskId?: string | undefined; type?: string | undefined }, caller: Caller): Handoff[] | Promise<Handoff[]>;
  /** Records a refused call (bad input, a tool this caller may not use) as `guard-tripped`; may resolve to the guard it counts as (`refusal-budget` past the budget). */
  refuse(caller: Caller, tool: QueueToolName, guard: GuardName, message: string): Promise<GuardName | void>;
}
