/** Planning: group items (all at once or one at a time), render one task request per group, check ids and output dependencies. */
export { planFanout, type PlanFanoutInput, type PlanFanoutOptions } from './plan-fanout.js';
export { createFanoutPlanner, type FanoutPlanner, type FanoutPlannerInput, type FanoutPlannerOptions } from './create-fanout-planner.js';
export { planDependencies } from './plan-dependencies.js';
export { assertUniqueTaskIds } from './assert-unique-task-ids.js';
export { taskIdentity, type TaskIdentity } from './task-identity.js';
export type { FanoutGroup } from './fanout-group.js';
export type { FanoutPlan, FanoutPlanGroup, FanoutPlanSummary, FanoutReconciliation, FanoutTaskRequest } from './fanout-plan.js';
