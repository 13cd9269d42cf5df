/**
 * drover: run fleets of coding-agent tasks durably.
 *
 * The root entry point is the task-queue engine: the pure queue model, the stores, the
 * executor, the agent port and the queue tools. Fanout/reconcile is `drover/fanout`; test
 * doubles are `drover/testing`.
 */
export * from './errors/index.js';
export * from './queue/index.js';
export * from './store/index.js';
export * from './executor/index.js';
export * from './agents/index.js';
export * from './tools/index.js';
export { statePaths, DEFAULT_STATE_DIR_NAME, type StatePaths } from './util/state-paths.js';
export * from './programs/index.js';
