export { runIntegrate, type RunIntegrateOptions, type RunIntegrateResult, type ResumeMode } from './integrate/run-integrate.js';
export { seedFromExploration } from './integrate/seed-from-exploration.js';
export { stubFollowUps } from './integrate/stub-follow-ups.js';
export { runExitCode } from './run-exit-code.js';
