import { describe, expect, it } from 'vitest';
import * as fanout from './index.js';

describe('drover/fanout public surface', () => {
  it('exports exactly these names', () => {
    expect(Object.keys(fanout).sort()).toEqual(
      [
        'AGENT_TASK_FANOUT_AGGREGATE_SCHEMA',
        'AGENT_TASK_FANOUT_PLAN_SCHEMA',
        'CONFIG_SCHEMA',
        'DEFAULT_FINDING_PACKET_TASK_REQUEST_TEMPLATE',
        'FANOUT_RECONCILE_PLAN_SCHEMA',
        'FANOUT_RECONCILE_RECORD_STATUSES',
        'FINDING_PACKET_CONFIG_SCHEMA',
        'GENERIC_FANOUT_RECONCILE_CONFIG_SCHEMA',
        'GENERIC_FANOUT_RECONCILE_RECONCILIATION_SCHEMA',
        'GENERIC_FANOUT_RECONCILE_RESULT_SCHEMA',
        'GENERIC_FANOUT_RECONCILE_SUCCESS_STATUSES',
        'GENERIC_FINDING_PACKET_FANOUT_CONFIG_SCHEMA',
        'OUTCOME_CLASSES',
        'PLAN_SCHEMA',
        'RESULT_SCHEMA',
        'STATUS_MAPPINGS',
        'compileTemplate',
        'createFanoutPlanner',
        'createFanoutReconciler',
        'createFindingPacketFanoutPlan',
        'createFindingPacketReconcileInput',
        'createGenericFanoutReconcilePlan',
        'createGenericFanoutReconcileResult',
        'fanoutConfigSchema',
        'fanoutJsonSchemas',
        'fanoutPlanInputSchema',
        'fanoutPlanSchema',
        'fanoutResultSchema',
        'findingPolicySchema',
        'groupFindingPacketItems',
        'materializeFindingPacketFanoutConfig',
        'normalizeFindingPacketItems',
        'normalizeFindingPolicy',
        'planFanout',
        'projectAgentTaskFanoutPlan',
        'reconcileFanout',
        'renderTemplate',
      ].sort(),
    );
  });

  it('keeps the reference schema ids', () => {
    expect(fanout.CONFIG_SCHEMA).toBe('homeboy/generic-fanout-reconcile-config/v1');
    expect(fanout.GENERIC_FANOUT_RECONCILE_CONFIG_SCHEMA).toBe(fanout.CONFIG_SCHEMA);
    expect(fanout.RESULT_SCHEMA).toBe('homeboy/generic-fanout-reconcile-result/v1');
    expect(fanout.GENERIC_FANOUT_RECONCILE_RESULT_SCHEMA).toBe(fanout.RESULT_SCHEMA);
    expect(fanout.FINDING_PACKET_CONFIG_SCHEMA).toBe('homeboy/generic-finding-packet-fanout-config/v1');
    expect(fanout.GENERIC_FINDING_PACKET_FANOUT_CONFIG_SCHEMA).toBe(fanout.FINDING_PACKET_CONFIG_SCHEMA);
    expect(fanout.GENERIC_FANOUT_RECONCILE_RECONCILIATION_SCHEMA).toBe('homeboy/generic-fanout-reconcile-reconciliation/v1');
    expect(fanout.PLAN_SCHEMA).toBe('homeboy/fanout-reconcile-plan/v1');
    expect(fanout.FANOUT_RECONCILE_PLAN_SCHEMA).toBe(fanout.PLAN_SCHEMA);
    expect(fanout.GENERIC_FANOUT_RECONCILE_SUCCESS_STATUSES).toEqual(['completed', 'success', 'passed']);
    expect(fanout.FANOUT_RECONCILE_RECORD_STATUSES).toEqual(['completed', 'failed', 'missing_record']);
  });
});

describe('src/fanout layout', () => {
  it('is one folder per concept, each with its own index, and nothing loose beside the entry point', async () => {
    const { readdir } = await import('node:fs/promises');
    const here = new URL('./', import.meta.url);
    const entries = await readdir(here, { withFileTypes: true });
    expect(entries.filter((entry) => entry.isFile()).map((entry) => entry.name).sort()).toEqual(['index.test.ts', 'index.ts']);
    const folders = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
    expect(folders).toEqual(['config', 'findings', 'homeboy', 'json', 'plan', 'reconcile', 'schemas', 'template']);
    for (const folder of folders) expect(await readdir(new URL(`${folder}/`, here))).toContain('index.ts');
  });
});
