/**
 * `drover/fanout`: plan grouped task requests from items, and reconcile executed records against
 * the plan. Pure (no file system, no clock). Documents use the reference's (Homeboy's) schema ids
 * and field names; see docs/fanout.md and docs/fanout-compatibility.md.
 *
 * One folder per concept, each with its own index: plan/, reconcile/, template/, findings/
 * (finding packets), homeboy/ (the reference's names and agent-task plans), schemas/ (schema ids
 * and zod schemas), config/ (the compiled config), json/ (safe access to plain JSON values).
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
  fanoutConfigSchema,
  STATUS_MAPPINGS,
  type FanoutConfigInput,
  type StatusMapping,
  findingPolicySchema,
  type FindingPolicyInput,
  fanoutPlanInputSchema,
  fanoutPlanSchema,
  fanoutResultSchema,
  fanoutJsonSchemas,
} from './schemas/index.js';

export { planFanout, createFanoutPlanner, type PlanFanoutInput, type PlanFanoutOptions, type FanoutPlanner, type FanoutPlannerInput, type FanoutPlannerOptions } from './plan/index.js';
export type { FanoutGroup, FanoutPlan, FanoutPlanGroup, FanoutPlanSummary, FanoutReconciliation, FanoutTaskRequest } from './plan/index.js';
export { reconcileFanout, createFanoutReconciler, OUTCOME_CLASSES, type ReconcileFanoutInput, type ReconcileFanoutOptions, type FanoutReconciler, type FanoutReconcilerInput, type FanoutReconcilerOptions, type OutcomeClass } from './reconcile/index.js';
export type { DuplicateRecord, FanoutResult, FanoutRunStatus, NoChangeTask, UnmatchedReason, UnmatchedRecord } from './reconcile/index.js';
export { compileTemplate, renderTemplate, type CompiledTemplate, type TemplateContext } from './template/index.js';
export { createGenericFanoutReconcilePlan, createGenericFanoutReconcileResult, projectAgentTaskFanoutPlan } from './homeboy/index.js';
export {
  normalizeFindingPacketItems,
  groupFindingPacketItems,
  normalizeFindingPolicy,
  DEFAULT_FINDING_PACKET_TASK_REQUEST_TEMPLATE,
  materializeFindingPacketFanoutConfig,
  createFindingPacketFanoutPlan,
  createFindingPacketReconcileInput,
  type FindingPacketItem,
  type FindingPolicy,
  type MaterializedFindingPacketFanout,
  type FindingPacketReconcileInput,
} from './findings/index.js';
export type { FanoutSources } from './config/index.js';
export type { JsonObject } from './json/index.js';
