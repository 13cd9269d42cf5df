/**
 * The schema ids the reference (Homeboy's runtime-agent-ci) writes into configs, plans and results.
 * They are part of the wire contract: consumers switch on them, so they never change.
 */
export const CONFIG_SCHEMA = 'homeboy/generic-fanout-reconcile-config/v1';
export const GENERIC_FANOUT_RECONCILE_CONFIG_SCHEMA = CONFIG_SCHEMA;

export const RESULT_SCHEMA = 'homeboy/generic-fanout-reconcile-result/v1';
export const GENERIC_FANOUT_RECONCILE_RESULT_SCHEMA = RESULT_SCHEMA;

export const FINDING_PACKET_CONFIG_SCHEMA = 'homeboy/generic-finding-packet-fanout-config/v1';
export const GENERIC_FINDING_PACKET_FANOUT_CONFIG_SCHEMA = FINDING_PACKET_CONFIG_SCHEMA;

export const GENERIC_FANOUT_RECONCILE_RECONCILIATION_SCHEMA = 'homeboy/generic-fanout-reconcile-reconciliation/v1';

export const PLAN_SCHEMA = 'homeboy/fanout-reconcile-plan/v1';
export const FANOUT_RECONCILE_PLAN_SCHEMA = PLAN_SCHEMA;

export const AGENT_TASK_FANOUT_PLAN_SCHEMA = 'homeboy/agent-task-fanout-plan/v1';
export const AGENT_TASK_FANOUT_AGGREGATE_SCHEMA = 'homeboy/agent-task-fanout-aggregate/v1';

/** The statuses a record needs to count as a success when the config does not say otherwise. */
export const GENERIC_FANOUT_RECONCILE_SUCCESS_STATUSES: readonly string[] = Object.freeze(['completed', 'success', 'passed']);

/** Host-owned record statuses (the reference's `FANOUT_RECONCILE_RECORD_STATUSES`). */
export const FANOUT_RECONCILE_RECORD_STATUSES: readonly string[] = Object.freeze(['completed', 'failed', 'missing_record']);
