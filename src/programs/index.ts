export { runIntegrate, type RunIntegrateOptions } from './integrate/run-integrate.js';
export { runSession, type ResumeMode, type SessionOptions, type SessionResult, type ProgramDefinition, type SeedContext } from './run-session.js';
export { seedFromExploration } from './integrate/seed-from-exploration.js';
export { stubFollowUps } from './integrate/stub-follow-ups.js';
export { runExitCode } from './run-exit-code.js';
export { runFanoutPlan, type RunFanoutPlanOptions, type RunFanoutPlanResult } from './fanout/run-fanout-plan.js';
