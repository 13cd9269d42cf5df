import type { GuardName } from './events.js';
import type { QueueState } from './queue-state.js';
import { MAX_INPUT_BYTES, type QueueLimits } from './limits.js';
import { dedupKey } from './dedup-key.js';
import type { EnqueuedBy, Task } from './task.js';
import { isSeedTask, SEED_TASK_ID, SEED_TASK_TYPE, seedCount } from './seed-task.js';

export interface EnqueueRequest {
  readonly type: string;
  readonly label?: string | undefined;
  readonly inputs?: Readonly<Record<string, unknown>> | undefined;
  readonly dependsOn?: readonly string[] | undefined;
  readonly reason?: string | undefined;
  readonly optional?: boolean | undefined;
  readonly maxAttempts?: number | undefined;
  /** The paths the task writes; without it, the type's scope from `policy.writeScopes` (if any). */
  readonly writes?: readonly string[] | undefined;
}

export interface EnqueuePolicy {
  readonly limits: QueueLimits;
  /** Types an enqueue may name; `null` accepts any well-formed type. */
  readonly taskTypes: ReadonlySet<string> | null;
  /** Types that run last and must depend on everything. */
  readonly sinkTypes: ReadonlySet<string>;
  readonly defaultMaxAttempts: number;
  /** Each type's default write scope (prompt frontmatter `writes`). */
  readonly writeScopes?: ReadonlyMap<string, readonly string[]>;
}

export type EnqueueDecision =
  | { readonly ok: true; readonly task: Task; readonly sinksExtended: readonly string[] }
  | { readonly ok: false; readonly guard: GuardName; readonly message: string };

/**
 * Runs every enqueue guard against the current state and, when all pass, builds the task.
 * Messages are written for the agent that made the call: which rule, why, what to do instead.
 * The first failing guard wins, in a fixed order so the same call always gets the same answer.
 */
export function decideEnqueue(state: QueueState, request: EnqueueRequest, caller: EnqueuedBy, policy: EnqueuePolicy, now: string): EnqueueDecision {
  const { limits } = policy;
  const parent = caller === 'orchestrator' ? undefined : state.tasks.get(caller);
  if (caller !== 'orchestrator' && parent?.status !== 'running') {
    return refuse('not-running', `Only a running task may enqueue work; task ${caller} is ${parent?.status ?? 'unknown'}.`);
  }
  const seeding = request.type === SEED_TASK_TYPE;
  // The seed task is the orchestrator's: one per run, never enqueued by an agent.
  if (seeding && (caller !== 'orchestrator' || state.tasks.has(SEED_TASK_ID))) {
    return refuse('unknown-type', caller !== 'orchestrator' ? `Task type "${SEED_TASK_TYPE}" is the run's own seed step; agents cannot enqueue it.` : `The run already has its seed task ${SEED_TASK_ID}.`);
  }
  // It names the seeder a worker needs to claim it (seedTaskRequest): without one, no worker ever would, and the final
  // tasks would wait for it. A library caller's own work called "seed" needs another type.
  if (seeding && typeof request.inputs?.['seeder'] !== 'string') {
    return refuse('unknown-type', `Task type "${SEED_TASK_TYPE}" is reserved for the run's seed task, which names its seeder (seedTaskRequest); give this task another type.`);
  }
  // The seed task takes no room under the limit, and no number from the others' ids.
  const counted = state.tasks.size - seedCount(state);
  if (counted >= limits.maxTasks) {
    return refuse('queue-full', `The queue already holds ${counted} tasks (the limit is ${limits.maxTasks}). Do the work in this task or refine an existing task instead of adding more.`);
  }
  if (!seeding && policy.taskTypes !== null && !policy.taskTypes.has(request.type)) {
    return refuse('unknown-type', `Unknown task type "${request.type.slice(0, 48)}". Valid types: ${[...policy.taskTypes].sort().join(', ')}.`);
  }
  const isSink = !seeding && policy.sinkTypes.has(request.type);
  // A sink runs last: while the seed step may still add work, it waits for the seed task too.
  const dependsOn = [...new Set([...(request.dependsOn ?? []), ...(isSink && state.tasks.has(SEED_TASK_ID) ? [SEED_TASK_ID] : [])])];
  const unknown = dependsOn.filter((id) => !state.tasks.has(id));
  if (unknown.length > 0) {
    // The ids are the caller's input: show a few, cut short, so a refusal stays small in the log.
    const shown = unknown.slice(0, 5).map((id) => (id.length > 40 ? `${id.slice(0, 39)}…` : id)).join(', ') + (unknown.length > 5 ? `, and ${unknown.length - 5} more` : '');
    return refuse('unknown-dependency', `dependsOn names tasks that do not exist: ${shown}. Use ids returned by enqueue_task.`);
  }
  const depth = parent === undefined ? 0 : parent.depth + 1;
  if (depth > limits.maxDepth) {
    return refuse('max-depth', `This task would be at enqueue depth ${depth}, past the limit of ${limits.maxDepth}. Finish the work here, or describe it in your handoff for a later task.`);
  }
  const childCount = parent === undefined ? 0 : (state.children.get(parent.id) ?? 0);
  if (childCount >= limits.maxChildren) {
    return refuse('max-children', `Task ${caller} has already enqueued ${childCount} tasks (the limit is ${limits.maxChildren}). Group the remaining work into fewer tasks.`);
  }
  const serialised = JSON.stringify(request.inputs ?? {});
  const inputBytes = Buffer.byteLength(serialised);
  if (inputBytes > MAX_INPUT_BYTES) {
    return refuse('inputs-too-large', `inputs serialise to ${inputBytes} bytes, over the limit of ${MAX_INPUT_BYTES}. Put long lists in a file and name the file in inputs.`);
  }
  // The task keeps its own copy, as the journal keeps it (a Date as its ISO string): a library
  // caller who changes its object after enqueueing changes neither the queue nor a replay of it.
  const inputs = JSON.parse(serialised) as Record<string, unknown>;
  const twin = state.liveKeys.get(dedupKey(request.type, inputs));
  if (twin !== undefined) {
    return refuse('duplicate', `Task ${twin} already has type "${request.type}" and the same inputs. Depend on it instead of enqueueing it again.`);
  }
  const sinksExtended: string[] = [];
  if (isSink) {
    const uncovered = uncoveredBy(state, dependsOn);
    if (uncovered.length > 0) {
      const shown = uncovered.slice(0, 10).join(', ') + (uncovered.length > 10 ? `, and ${uncovered.length - 10} more` : '');
      return refuse('sink-closure', `A "${request.type}" task runs last, so it must depend (directly or through others) on every other task. Add these to dependsOn: ${shown}.`);
    }
  } else if (seeding) {
    // A final task already enqueued without the seed task (a run begun before the seed was a task, stopped mid-seed, and
    // resumed) waits for it too, as one enqueued after it does: the seed step may still add work the final task must follow.
    for (const sinkId of state.sinks) if (state.tasks.get(sinkId)!.status === 'pending') sinksExtended.push(sinkId);
  } else {
    const cycle = sinkUpstreamOf(state, dependsOn);
    if (cycle !== undefined) {
      const via = cycle.via === cycle.sink ? `${cycle.sink}, a final task` : `${cycle.via}, which waits for the final task ${cycle.sink}`;
      return refuse('sink-cycle', `dependsOn names ${via}. A final task runs after every other task, so it would also wait for this new task, which waits for it: the run could never finish. Depend on the tasks the final task depends on instead, or describe the work in your handoff.`);
    }
    for (const sinkId of state.sinks) {
      const sink = state.tasks.get(sinkId)!;
      if (sink.status === 'blocked') {
        return refuse('sink-blocked', `The final task ${sinkId} will never run: ${sink.error?.message ?? 'a dependency did not succeed'}. No more work can be added; describe the remaining work in your handoff.`);
      }
      if (sink.status !== 'pending') {
        const where = sink.status === 'running' ? 'has already started' : `has already ended (${sink.status})`;
        return refuse('sink-started', `The final task ${sinkId} ${where}, so no more work can be added. Describe the remaining work in your handoff.`);
      }
      sinksExtended.push(sinkId);
    }
  }
  const writes = request.writes ?? policy.writeScopes?.get(request.type) ?? [];
  const now_ = now;
  const id = seeding ? SEED_TASK_ID : `${slug(request.type)}-${counted + 1}`;
  const task: Task = {
    id,
    type: request.type,
    label: request.label ?? request.type,
    status: 'pending',
    dependsOn,
    inputs,
    attempts: 0,
    maxAttempts: request.maxAttempts ?? policy.defaultMaxAttempts,
    enqueuedBy: caller,
    depth,
    optional: request.optional ?? false,
    createdAt: now_,
    ...(isSink ? { sink: true } : {}),
    ...(writes.length > 0 ? { writes: [...writes] } : {}),
  };
  return { ok: true, task, sinksExtended };
}

function refuse(guard: GuardName, message: string): EnqueueDecision {
  return { ok: false, guard, message };
}

/** Non-sink tasks not reachable from `dependsOn` through dependency edges. */
function uncoveredBy(state: QueueState, dependsOn: readonly string[]): string[] {
  const covered = new Set<string>();
  const stack = [...dependsOn];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (covered.has(id)) continue;
    covered.add(id);
    for (const dep of state.tasks.get(id)?.dependsOn ?? []) stack.push(dep);
  }
  const out: string[] = [];
  for (const task of state.byPosition) if (!covered.has(task.id) && task.sink !== true && !isSeedTask(task)) out.push(task.id);
  return out;
}

/**
 * The first sink that `dependsOn` reaches through dependency edges, with the named task that
 * leads to it. Every pending sink is extended to wait for a new non-sink task, so depending on a
 * sink (or on anything downstream of one) would close a cycle. Only walked while sinks exist.
 */
function sinkUpstreamOf(state: QueueState, dependsOn: readonly string[]): { sink: string; via: string } | undefined {
  if (state.sinks.size === 0) return undefined;
  const seen = new Set<string>();
  for (const via of dependsOn) {
    const stack = [via];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      if (state.sinks.has(id)) return { sink: id, via };
      for (const dep of state.tasks.get(id)?.dependsOn ?? []) stack.push(dep);
    }
  }
  return undefined;
}

function slug(type: string): string {
  const cleaned = type.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return cleaned === '' ? 'task' : cleaned.slice(0, 48);
}

/** A seeder's synchronous enqueue inside a batch (`RunQueue.enqueueBatch`, `Backend.enqueueBatch`): returns the new (or twin) task's id, throws when refused. */
export type BatchEnqueue = (request: EnqueueRequest) => string;
