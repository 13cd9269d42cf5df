import { describe, expect, it } from 'vitest';
import { createFindingPacketFanoutPlan } from '../findings/create-finding-packet-fanout-plan.js';
import { fanoutPlanSchema, fanoutResultSchema } from './fanout-plan-schema.js';
import { planFanout } from '../plan/plan-fanout.js';
import { reconcileFanout } from '../reconcile/reconcile-fanout.js';

describe('plan and result schemas', () => {
  it('accept what the planner and the reconciler write', () => {
    const plan = planFanout({ config: { task_request_template: { id: 't-{{group.key}}' }, runtime: 'x' }, items: [{ group_key: 'a' }, { group_key: 'b' }] });
    expect(fanoutPlanSchema.safeParse(plan).success).toBe(true);
    expect(fanoutPlanSchema.safeParse(createFindingPacketFanoutPlan({ packets: [{ id: 'p', findings: [{ id: 'f', type: 't' }] }] })).success).toBe(true);
    const result = reconcileFanout({ config: { status_mapping: 'homeboy-agent-task', base_run: { run_id: 'r' } }, plan, records: [{ id: 't-a', status: 'succeeded' }, { id: 't-a', status: 'failed' }, { id: 'nope' }, 4] });
    expect(fanoutResultSchema.safeParse(result).success).toBe(true);
  });

  it('reject documents that are missing required parts', () => {
    expect(fanoutPlanSchema.safeParse({ schema: 'x' }).success).toBe(false);
    expect(fanoutResultSchema.safeParse({ schema: 'x', records: [], outcomes: [], status: 'done' }).success).toBe(false);
  });
});
