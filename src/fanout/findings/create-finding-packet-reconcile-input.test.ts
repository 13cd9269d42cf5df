import { describe, expect, it } from 'vitest';
import { createFindingPacketFanoutPlan } from './create-finding-packet-fanout-plan.js';
import { createFindingPacketReconcileInput } from './create-finding-packet-reconcile-input.js';
import { createGenericFanoutReconcileResult } from '../homeboy/create-generic-fanout-reconcile-result.js';
import PACKETS from '../../../test/fixtures/fanout/finding-packets.json' with { type: 'json' };

/** The reference's finding-packet fixture (reference §9, "PKTS"), fresh for every use. */
const findingPackets = (): unknown[] => structuredClone(PACKETS);
const TYPE_SEVERITY_POLICY = { group_by: ['finding.type', 'finding.severity'] };

describe('createFindingPacketReconcileInput', () => {
  it('T38 keeps a given plan by identity, and the result completes', async () => {
    const packetPlan = createFindingPacketFanoutPlan({ packets: findingPackets(), policy: TYPE_SEVERITY_POLICY });
    const input = createFindingPacketReconcileInput({ packets: findingPackets(), policy: TYPE_SEVERITY_POLICY, plan: packetPlan, records: [{ id: 'finding-packet-syntax:error', status: 'completed' }, { id: 'finding-packet-style:warning', status: 'completed' }] });
    expect(input.plan).toBe(packetPlan);
    const result = await createGenericFanoutReconcileResult(input);
    expect(result.status).toBe('completed');
    expect(result.reconciliation.success_count).toBe(2);
  });

  it('builds the plan when none is given', () => {
    const input = createFindingPacketReconcileInput({ packets: findingPackets(), policy: TYPE_SEVERITY_POLICY });
    expect((input.plan as { task_requests: unknown[] }).task_requests).toHaveLength(2);
    expect(input.records).toEqual([]);
  });

  it('T41 record normalisation (fixed: a non-array finding_ids is kept, not deleted)', () => {
    const { records } = createFindingPacketReconcileInput({ records: [{ task_id: 'T', id: 'I', groupKey: ' gk ', finding_ids: 'nope', packet_ids: ['p'] }, 'junk', { id: 'x', group_key: '' }] });
    expect(records).toEqual([
      { task_id: 'T', id: 'T', groupKey: ' gk ', finding_ids: 'nope', packet_ids: ['p'], group_key: 'gk' },
      { id: 'record-2', value: 'junk', group_key: '' },
      { id: 'x', group_key: '' },
    ]);
  });
});
