import { describe, expect, it } from 'vitest';
import { normalizeFindingPolicy } from './normalize-finding-policy.js';

describe('normalizeFindingPolicy', () => {
  it('applies the defaults', () => {
    expect(normalizeFindingPolicy()).toEqual({ packet_id_path: 'id', findings_path: 'findings', finding_id_path: 'id', group_by: ['finding.type', 'finding.severity'], group_key_template: '', fallback_group_key: 'default', include_packet: true });
  });

  it('resolves aliases and is idempotent', () => {
    const once = normalizeFindingPolicy({ packetIdPath: 'pid', findingsPath: 'f', findingIdPath: 'fid', groupKeyTemplate: ' {{finding.x}} ', fallbackGroupKey: 'fb', include_packet: false });
    expect(once).toEqual({ packet_id_path: 'pid', findings_path: 'f', finding_id_path: 'fid', group_by: ['finding.type', 'finding.severity'], group_key_template: '{{finding.x}}', fallback_group_key: 'fb', include_packet: false });
    expect(normalizeFindingPolicy(once)).toEqual(once);
  });
});
