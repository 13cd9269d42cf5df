export { createToolSession, type ToolSession } from './tool-session.js';
export type { Caller, QueueOperations, ToolOutcome } from '../queue/queue-operations.js';
export * from './tool-schemas.js';
