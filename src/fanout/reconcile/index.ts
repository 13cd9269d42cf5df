/** Reconciling: match records to planned tasks (all at once or one at a time), judge them, classify outcomes. */
export { reconcileFanout, type ReconcileFanoutInput, type ReconcileFanoutOptions } from './reconcile-fanout.js';
export { createFanoutReconciler, type FanoutReconciler, type FanoutReconcilerInput, type FanoutReconcilerOptions } from './create-fanout-reconciler.js';
export { normalizeFanoutPlan, type NormalizedFanoutPlan } from './normalize-fanout-plan.js';
export { OUTCOME_CLASSES, classifyOutcome, compileOutcomeClasses, type OutcomeClass } from './classify-outcome.js';
export type { DuplicateRecord, FanoutResult, FanoutRunStatus, NoChangeTask, UnmatchedReason, UnmatchedRecord } from './fanout-result.js';
