export { RunQueue, type QueueListener, type AttemptEnd, type RunIdentity } from './run-queue.js';
export { drainQueue, type DrainOptions, type DrainResult, type PreparedTask } from './drain-queue.js';
