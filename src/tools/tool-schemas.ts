import { z } from 'zod';
import { defineToolSchemas } from './define-tool-schemas.js';

export { QUEUE_TOOL_NAMES, TASK_TYPE_PATTERN, type QueueToolName } from '../queue/queue-tool-names.js';

/** The queue tools' schemas built with the ESM zod (the MCP endpoint's; see `defineToolSchemas`). */
const schemas = defineToolSchemas(z);

export const enqueueTaskInput = schemas.enqueueTaskInput;
export const handoffInput = schemas.handoffInput;
export const completeTaskInput = schemas.completeTaskInput;
export const readHandoffsInput = schemas.readHandoffsInput;

export type EnqueueTaskInput = z.output<typeof enqueueTaskInput>;
export type CompleteTaskInput = z.output<typeof completeTaskInput>;
export type ReadHandoffsInput = z.output<typeof readHandoffsInput>;
export type HandoffInput = z.output<typeof handoffInput>;
