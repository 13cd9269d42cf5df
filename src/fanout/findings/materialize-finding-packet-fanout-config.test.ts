import { describe, expect, it } from 'vitest';
import PACKETS from '../../../test/fixtures/fanout/finding-packets.json' with { type: 'json' };
import { DEFAULT_FINDING_PACKET_TASK_REQUEST_TEMPLATE, materializeFindingPacketFanoutConfig } from './materialize-finding-packet-fanout-config.js';

/** The reference's finding-packet fixture (reference §9, "PKTS"), fresh for every use. */
const findingPackets = (): unknown[] => structuredClone(PACKETS);
const TYPE_SEVERITY_POLICY = { group_by: ['finding.type', 'finding.severity'] };

describe('materializeFindingPacketFanoutConfig', () => {
  it('T36 materialises config, groups and items', () => {
    const { config, groups, items } = materializeFindingPacketFanoutConfig({ packets: findingPackets(), policy: TYPE_SEVERITY_POLICY, orchestrator: { run_id: 'finding-run' } });
    expect(config['schema']).toBe('homeboy/generic-finding-packet-fanout-config/v1');
    expect(config['summary']).toEqual({ packet_count: 2, finding_count: 3, grouping: { strategy: 'paths', paths: ['finding.type', 'finding.severity'] } });
    expect(config['orchestrator']).toEqual({ run_id: 'finding-run' });
    expect(config['task_request_template']).toEqual(DEFAULT_FINDING_PACKET_TASK_REQUEST_TEMPLATE);
    expect(groups.map((group) => group.key)).toEqual(['syntax:error', 'style:warning']);
    expect(items).toHaveLength(3);
  });

  it('T36 template grouping', () => {
    const { groups, config } = materializeFindingPacketFanoutConfig({ packets: findingPackets(), policy: { group_key_template: '{{packet.source}}/{{finding.severity}}' } });
    expect(groups.map((group) => group.key)).toEqual(['lint/error', 'lint/warning', 'static-analysis/error']);
    expect((config['summary'] as { grouping: unknown }).grouping).toEqual({ strategy: 'template', paths: ['finding.type', 'finding.severity'] });
  });

  it('reads packets, policy and config from the config object or the top level (top level wins)', () => {
    const fromConfig = materializeFindingPacketFanoutConfig({ config: { finding_packets: findingPackets(), finding_policy: { group_by: ['packet.source'] }, orchestrator: { run_id: 'c' }, summary: { note: 1 } } });
    expect(fromConfig.groups.map((group) => group.key)).toEqual(['lint', 'static-analysis']);
    expect(fromConfig.config['orchestrator']).toEqual({ run_id: 'c' });
    expect(fromConfig.config['summary']).toMatchObject({ packet_count: 2, note: 1 });
    const topLevel = materializeFindingPacketFanoutConfig({ config: { orchestrator: { run_id: 'c' } }, orchestrator: { run_id: 't' }, findingPackets: findingPackets(), runtime: { r: 1 }, schema: 'mine/v1' });
    expect(topLevel.config['orchestrator']).toEqual({ run_id: 't' });
    expect(topLevel.config['runtime_execution']).toEqual({ r: 1 });
    expect(topLevel.config['schema']).toBe('mine/v1');
    expect(topLevel.config).not.toHaveProperty('findingPackets');
  });

  it('leaves runtime_execution out when there is none', () => {
    expect(materializeFindingPacketFanoutConfig({}).config).not.toHaveProperty('runtime_execution');
  });
});
