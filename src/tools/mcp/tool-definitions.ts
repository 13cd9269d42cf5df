import { z } from 'zod';
import { completeTaskInput, enqueueTaskInput, readHandoffsInput, type QueueToolName } from '../tool-schemas.js';

export interface ToolDefinition {
  readonly name: QueueToolName;
  readonly description: string;
  readonly inputSchema: Record<string, unknown>;
}

/**
 * The three queue tools as an agent sees them over MCP: descriptions say what the tool is
 * for and which rules (guards) apply, so a refused call is never a surprise.
 */
export const TOOL_DEFINITIONS: readonly ToolDefinition[] = [
  {
    name: 'enqueue_task',
    description:
      'Add a task to the run queue; it will run later with a fresh agent that has no memory of you, so put everything it needs in `inputs`. ' +
      'Returns {"id"}. Use ids returned by enqueue_task in `dependsOn`. Refused (with the reason) when the type is unknown, a dependency does not exist, ' +
      'the same type with the same inputs is already queued, the queue is full, you have already enqueued the most tasks one task may, or the enqueue depth limit is reached.',
    inputSchema: jsonSchemaOf(enqueueTaskInput),
  },
  {
    name: 'complete_task',
    description:
      'Report the result of YOUR task, exactly once, as the last thing you do: status done (the success criteria are met), failed (they could not be; explain in the handoff) ' +
      'or skipped (not needed). The handoff is all the agents after you will know about your work: goal, did, forNextAgent are required.',
    inputSchema: jsonSchemaOf(completeTaskInput),
  },
  {
    name: 'read_handoffs',
    description:
      'Read handoffs left by finished tasks: by `taskId`, or every one of a `type`; with neither, the handoffs of your direct dependencies. ' +
      'Your prompt already contains the handoffs of every task you depend on.',
    inputSchema: jsonSchemaOf(readHandoffsInput),
  },
];

function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input' }) as Record<string, unknown>;
  return rest;
}
