import { describe, expect, it } from 'vitest';
import PACKETS from '../../../test/fixtures/fanout/finding-packets.json' with { type: 'json' };
import { normalizeFindingPacketItems } from './normalize-finding-packet-items.js';

/** The reference's finding-packet fixture (reference §9, "PKTS"), fresh for every use. */
const findingPackets = (): unknown[] => structuredClone(PACKETS);
const TYPE_SEVERITY_POLICY = { group_by: ['finding.type', 'finding.severity'] };

describe('normalizeFindingPacketItems', () => {
  it('T35 flattens findings and diagnostics with stable ids and default grouping', () => {
    const items = normalizeFindingPacketItems(findingPackets(), TYPE_SEVERITY_POLICY);
    expect(items.map((item) => item.id)).toEqual(['packet-a:a1', 'packet-a:a2', 'packet-b:b1']);
    expect(items.map((item) => item.group_key)).toEqual(['syntax:error', 'style:warning', 'syntax:error']);
    expect(items[0]?.packet).toEqual(findingPackets()[0]);
    expect(normalizeFindingPacketItems(findingPackets()).map((item) => item.group_key)).toEqual(['syntax:error', 'style:warning', 'syntax:error']);
  });

  it('T39 id fallbacks and the item shape (include_packet: false)', () => {
    const packets = [
      { packet_id: 'pp', findings: [{ finding_id: 'ff', kind: 'k', file: 'f.js', description: 'd' }, { rule_id: 'R1', severity: 'low' }, { code: 42 }, 'raw', null] },
      { key: 'kk', finding: { id: 'single', type: 't' } },
      { diagnostics: [{ id: 'd1' }] },
      'not-an-object',
      7,
    ];
    const items = normalizeFindingPacketItems(packets, { include_packet: false });
    expect(items.map((item) => item.id)).toEqual(['pp:ff', 'pp:R1', 'pp:42', 'pp:finding-4', 'pp:finding-5', 'kk:single', 'packet-3:d1']);
    expect(items.map((item) => item.group_key)).toEqual(['default', 'low', 'default', 'default', 'default', 't', 'default']);
    expect(items.map((item) => item.type)).toEqual(['k', 'R1', '', '', '', 't', '']);
    expect(items[0]).toEqual({ id: 'pp:ff', packet_id: 'pp', finding_id: 'ff', index: 0, packet_index: 0, group_key: 'default', type: 'k', severity: '', path: 'f.js', message: 'd', finding: { finding_id: 'ff', kind: 'k', file: 'f.js', description: 'd' } });
    expect(Object.keys(items[0] ?? {})).toEqual(['id', 'packet_id', 'finding_id', 'index', 'packet_index', 'group_key', 'type', 'severity', 'path', 'message', 'finding']);
    expect(items[3]?.finding).toEqual({ value: 'raw' });
    expect(items[4]?.finding).toEqual({ value: null });
  });

  it('T40 custom policy paths, fallback key, template fallback', () => {
    const packets = [{ meta: { pid: 'P9' }, payload: { results: [{ ref: { id: 'X' }, type: 'only-type' }, { ref: {} }] } }];
    const items = normalizeFindingPacketItems(packets, { packet_id_path: 'meta.pid', findings_path: 'payload.results', finding_id_path: 'ref.id', fallback_group_key: 'misc' });
    expect(items.map((item) => item.id)).toEqual(['P9:X', 'P9:finding-2']);
    expect(items.map((item) => item.group_key)).toEqual(['only-type', 'misc']);
    expect(normalizeFindingPacketItems([{ id: 'p', findings: [{ id: 'a', type: 't' }] }], { group_key_template: '{{finding.nope}}', fallbackGroupKey: 'fb' }).map((item) => item.group_key)).toEqual(['fb']);
    expect(normalizeFindingPacketItems([{ id: 'p', findings: [{ id: 'a', tags: ['x', 'y'] }] }], { group_key_template: '{{finding.tags}}' })[0]?.group_key).toBe('default');
    expect(normalizeFindingPacketItems([{ id: 'p', findings: [{ id: 'a', n: 3 }] }], { group_key_template: '{{finding.n}}' })[0]?.group_key).toBe('3');
  });

  it('T40 group_by aliases (a plain string is one path: fixed, the reference ignored it)', () => {
    const packets = [{ id: 'p', source: 'lint', findings: [{ id: 'a', type: 't' }] }];
    const key = (policy: unknown) => normalizeFindingPacketItems(packets, policy)[0]?.group_key;
    expect(key({ groupBy: ['packet.source', 'finding.type'] })).toBe('lint:t');
    expect(key({ group_key_paths: ['packet.source'] })).toBe('lint');
    expect(key({ groupKeyPaths: ['packet.source'] })).toBe('lint');
    expect(key({ group_by: [] })).toBe('t');
    expect(key({ group_by: 'finding.id' })).toBe('a');
  });

  it('T36 a template key mixes packet and finding fields', () => {
    expect(normalizeFindingPacketItems(findingPackets(), { group_key_template: '{{packet.source}}/{{finding.severity}}' }).map((item) => item.group_key)).toEqual(['lint/error', 'lint/warning', 'static-analysis/error']);
  });

  it('gives [] for no packets and rejects a non-array', () => {
    expect(normalizeFindingPacketItems(undefined)).toEqual([]);
    expect(() => normalizeFindingPacketItems({ a: 1 })).toThrow('config: $.packets: expected array, got object');
    expect(() => normalizeFindingPacketItems([], { include_packet: 'no' })).toThrow('policy: $.include_packet: expected boolean, got string');
  });
});
