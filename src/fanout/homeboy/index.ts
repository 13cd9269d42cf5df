/** Homeboy compatibility: the reference's function names, and its agent-task fanout plans projected into generic plans. */
export { createGenericFanoutReconcilePlan } from './create-generic-fanout-reconcile-plan.js';
export { createGenericFanoutReconcileResult } from './create-generic-fanout-reconcile-result.js';
export { isAgentTaskFanoutPlan, projectAgentTaskFanoutPlan } from './project-agent-task-fanout-plan.js';
