import type { Handoff } from '../queue/handoff.js';
import { jsonPath } from '../util/json-path.js';
import type { z } from 'zod';
import type { Caller, QueueOperations, ToolOutcome } from '../queue/queue-operations.js';
import { schemaFor } from '../util/check-with-schema.js';
import { defineToolSchemas } from './define-tool-schemas.js';
import { parseToolInput } from './parse-tool-input.js';
import { QUEUE_TOOL_NAMES, type QueueToolName } from '../queue/queue-tool-names.js';
import type { CompleteTaskInput, EnqueueTaskInput, ReadHandoffsInput } from './tool-schemas.js';
import type { Zod } from '../util/load-zod.js';

/** Each tool's schema, built with zod loaded lazily: only a call the fast parse does not accept needs it. */
const TOOL_SCHEMAS: Record<QueueToolName, (zod: Zod) => z.ZodType> = {
  enqueue_task: (zod) => defineToolSchemas(zod).enqueueTaskInput,
  complete_task: (zod) => defineToolSchemas(zod).completeTaskInput,
  read_handoffs: (zod) => defineToolSchemas(zod).readHandoffsInput,
};

/** The three queue tools, bound to one caller. Every input is validated here, at the edge. */
export interface ToolSession {
  readonly caller: Caller;
  readonly allowed: ReadonlySet<QueueToolName>;
  enqueue_task(input: unknown): Promise<ToolOutcome<{ id: string }>>;
  complete_task(input: unknown): Promise<ToolOutcome<{ status: Handoff['status'] }>>;
  read_handoffs(input: unknown): Promise<ToolOutcome<Handoff[]>>;
}

/**
 * Binds the tools to a caller. A call that breaks a rule (bad input, a tool the caller may not
 * use, a guard) comes back as `{ok: false}` with a message for the agent and is logged as
 * `guard-tripped`; it never throws, so one bad call cannot end a run.
 */
export function createToolSession(ops: QueueOperations, caller: Caller, allowed: Iterable<QueueToolName> = QUEUE_TOOL_NAMES): ToolSession {
  const allowedSet = new Set(allowed);
  if (caller.kind === 'orchestrator') allowedSet.delete('complete_task');

  async function gate<T>(tool: QueueToolName, input: unknown): Promise<ToolOutcome<T>> {
    if (!allowedSet.has(tool)) {
      const message =
        tool === 'complete_task' && caller.kind === 'orchestrator'
          ? 'complete_task can only be called by a running task agent; the orchestrator only plans work with enqueue_task.'
          : `Your task may not call ${tool}. Allowed tools: ${[...allowedSet].join(', ') || 'none'}. Describe the remaining work in your handoff instead.`;
      await ops.refuse(caller, tool, 'not-allowed', message);
      return { ok: false, guard: 'not-allowed', message };
    }
    const fast = parseToolInput(tool, input ?? {});
    if (fast !== undefined) return { ok: true, value: fast as T };
    const parsed = schemaFor(TOOL_SCHEMAS[tool]).safeParse(input ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const message = `Invalid ${tool} input at ${jsonPath(issue?.path ?? [])}: ${issue?.message ?? 'invalid'}. Fix the call and try again.`;
      await ops.refuse(caller, tool, 'invalid-input', message);
      return { ok: false, guard: 'invalid-input', message };
    }
    return { ok: true, value: parsed.data as T };
  }

  return {
    caller,
    allowed: allowedSet,
    async enqueue_task(input) {
      const parsed = await gate<EnqueueTaskInput>('enqueue_task', input);
      if (!parsed.ok) return parsed;
      return ops.enqueue(parsed.value, caller);
    },
    async complete_task(input) {
      const parsed = await gate<CompleteTaskInput>('complete_task', input);
      if (!parsed.ok) return parsed;
      return ops.complete(caller, parsed.value.status, parsed.value.handoff);
    },
    async read_handoffs(input) {
      const parsed = await gate<ReadHandoffsInput>('read_handoffs', input);
      if (!parsed.ok) return parsed;
      return { ok: true, value: await ops.readHandoffs(parsed.value, caller) };
    },
  };
}
