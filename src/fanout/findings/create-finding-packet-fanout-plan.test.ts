import { describe, expect, it } from 'vitest';
import { createFindingPacketFanoutPlan } from './create-finding-packet-fanout-plan.js';
import PACKETS from '../../../test/fixtures/fanout/finding-packets.json' with { type: 'json' };

/** The reference's finding-packet fixture (reference §9, "PKTS"), fresh for every use. */
const findingPackets = (): unknown[] => structuredClone(PACKETS);
const TYPE_SEVERITY_POLICY = { group_by: ['finding.type', 'finding.severity'] };

describe('createFindingPacketFanoutPlan', () => {
  it('T37 plans with the default template', () => {
    const plan = createFindingPacketFanoutPlan({ packets: findingPackets(), policy: TYPE_SEVERITY_POLICY, orchestrator: { run_id: 'finding-run' } });
    expect(plan.task_requests.map((request) => request.id)).toEqual(['finding-packet-syntax:error', 'finding-packet-style:warning']);
    const first = plan.task_requests[0];
    expect(first?.['item_ids']).toEqual(['packet-a:a1', 'packet-b:b1']);
    expect(first?.['packet_ids']).toEqual(['packet-a', 'packet-b']);
    expect(first?.['finding_count']).toBe(2);
    expect((first?.['inputs'] as { findings: { finding_id: string }[] }).findings.map((finding) => finding.finding_id)).toEqual(['a1', 'b1']);
    expect(plan.summary).toEqual({
      item_count: 3,
      group_count: 2,
      task_count: 2,
      config_schema: 'homeboy/generic-finding-packet-fanout-config/v1',
      packet_count: 2,
      finding_count: 3,
      grouping: { strategy: 'paths', paths: ['finding.type', 'finding.severity'] },
    });
    expect(first?.orchestrator).toEqual({ run_id: 'finding-run', group_index: 0 });
  });

  it('plans nothing from no packets', () => {
    expect(createFindingPacketFanoutPlan({}).task_requests).toEqual([]);
  });
});
