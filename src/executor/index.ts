export { RunQueue, type QueueListener, type AttemptEnd, type RunIdentity } from './run-queue.js';
