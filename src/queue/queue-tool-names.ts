/** The queue tools' names, and the task type rule, without the schemas (and zod). */
export const TASK_TYPE_PATTERN = /^[a-z][a-z0-9-]{0,47}$/;

export const QUEUE_TOOL_NAMES = ['enqueue_task', 'complete_task', 'read_handoffs'] as const;
export type QueueToolName = (typeof QUEUE_TOOL_NAMES)[number];
