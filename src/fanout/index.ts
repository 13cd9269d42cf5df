/**
 * `drover/fanout`: plan grouped task requests from items, and reconcile executed records against
 * the plan. Pure (no file system, no clock). Documents use the reference's (Homeboy's) schema ids
 * and field names; see docs/fanout.md and docs/fanout-compatibility.md.
 */
export {
  AGENT_TASK_FANOUT_AGGREGATE_SCHEMA,
  AGENT_TASK_FANOUT_PLAN_SCHEMA,
  CONFIG_SCHEMA,
  FANOUT_RECONCILE_PLAN_SCHEMA,
  FANOUT_RECONCILE_RECORD_STATUSES,
  FINDING_PACKET_CONFIG_SCHEMA,
  GENERIC_FANOUT_RECONCILE_CONFIG_SCHEMA,
  GENERIC_FANOUT_RECONCILE_RECONCILIATION_SCHEMA,
  GENERIC_FANOUT_RECONCILE_RESULT_SCHEMA,
  GENERIC_FANOUT_RECONCILE_SUCCESS_STATUSES,
  GENERIC_FINDING_PACKET_FANOUT_CONFIG_SCHEMA,
  PLAN_SCHEMA,
  RESULT_SCHEMA,
} from './fanout-schema-ids.js';

export { planFanout, type PlanFanoutInput, type PlanFanoutOptions } from './plan-fanout.js';
export { reconcileFanout, type ReconcileFanoutInput, type ReconcileFanoutOptions } from './reconcile-fanout.js';
export { createFanoutPlanner, type FanoutPlanner, type FanoutPlannerInput, type FanoutPlannerOptions } from './create-fanout-planner.js';
export { createFanoutReconciler, type FanoutReconciler, type FanoutReconcilerInput, type FanoutReconcilerOptions } from './create-fanout-reconciler.js';
export { compileTemplate, type CompiledTemplate, type TemplateContext } from './compile-template.js';
export { renderTemplate } from './render-template.js';
export { projectAgentTaskFanoutPlan } from './project-agent-task-fanout-plan.js';

export { createGenericFanoutReconcilePlan } from './create-generic-fanout-reconcile-plan.js';
export { createGenericFanoutReconcileResult } from './create-generic-fanout-reconcile-result.js';

export { normalizeFindingPacketItems, type FindingPacketItem } from './normalize-finding-packet-items.js';
export { groupFindingPacketItems } from './group-finding-packet-items.js';
export { normalizeFindingPolicy, type FindingPolicy } from './normalize-finding-policy.js';
export { DEFAULT_FINDING_PACKET_TASK_REQUEST_TEMPLATE, materializeFindingPacketFanoutConfig, type MaterializedFindingPacketFanout } from './materialize-finding-packet-fanout-config.js';
export { createFindingPacketFanoutPlan } from './create-finding-packet-fanout-plan.js';
export { createFindingPacketReconcileInput, type FindingPacketReconcileInput } from './create-finding-packet-reconcile-input.js';

export { fanoutConfigSchema, STATUS_MAPPINGS, type FanoutConfigInput, type StatusMapping } from './fanout-config-schema.js';
export { findingPolicySchema, type FindingPolicyInput } from './finding-policy-schema.js';
export { fanoutPlanInputSchema, fanoutPlanSchema, fanoutResultSchema } from './fanout-plan-schema.js';
export { fanoutJsonSchemas } from './fanout-json-schemas.js';

export type { FanoutGroup } from './fanout-group.js';
export type { FanoutPlan, FanoutPlanGroup, FanoutPlanSummary, FanoutReconciliation, FanoutTaskRequest } from './fanout-plan.js';
export type { DuplicateRecord, FanoutResult, FanoutRunStatus, NoChangeTask, UnmatchedReason, UnmatchedRecord } from './fanout-result.js';
export { OUTCOME_CLASSES, type OutcomeClass } from './classify-outcome.js';
export type { FanoutSources } from './fanout-sources.js';
export type { JsonObject } from './is-plain-object.js';
