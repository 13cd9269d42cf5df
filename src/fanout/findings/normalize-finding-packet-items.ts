import { InputError } from '../../errors/input-error.js';
import { describeValue } from '../../util/describe-value.js';
import { createFindingGroupKeyer } from './create-finding-group-keyer.js';
import { sourceName, type FanoutSources } from '../config/fanout-sources.js';
import { getOwnPath } from '../json/get-own-path.js';
import { isPlainObject, type JsonObject } from '../../util/is-plain-object.js';
import { normalizeFindingPolicy } from './normalize-finding-policy.js';
import { parseDotPath } from '../json/parse-dot-path.js';
import { textOf } from '../json/text-of.js';

/** One finding as a fanout item. `packet` is present unless the policy sets `include_packet: false`. */
export interface FindingPacketItem {
  id: string;
  packet_id: string;
  finding_id: string;
  index: number;
  packet_index: number;
  group_key: string;
  type: string;
  severity: string;
  path: string;
  message: string;
  finding: JsonObject;
  packet?: JsonObject;
  [key: string]: unknown;
}

/**
 * Flattens packets of findings (or `diagnostics`, or one `finding`) into generic fanout items
 * with stable ids `<packet id>:<finding id>`, in packet order then finding order. Non-object
 * packets and findings are wrapped as `{value}` so nothing is lost.
 */
export function normalizeFindingPacketItems(packets: unknown, policy: unknown = {}, sources?: FanoutSources): FindingPacketItem[] {
  if (packets === undefined || packets === null) return [];
  if (!Array.isArray(packets)) throw new InputError(`expected array, got ${describeValue(packets)}`, { file: sourceName(sources, 'config'), jsonPath: '$.packets' });
  const normalized = normalizeFindingPolicy(policy, sources);
  const groupKey = createFindingGroupKeyer(normalized);
  const packetIdPath = parseDotPath(normalized.packet_id_path);
  const findingsPath = parseDotPath(normalized.findings_path);
  const findingIdPath = parseDotPath(normalized.finding_id_path);
  const items: FindingPacketItem[] = [];

  packets.forEach((rawPacket: unknown, packetIndex) => {
    const packet = isPlainObject(rawPacket) ? rawPacket : { value: rawPacket };
    const packetId = textOf(getOwnPath(packet, packetIdPath)) || ownText(packet, 'packet_id') || ownText(packet, 'key') || `packet-${packetIndex + 1}`;
    findingsOf(packet, findingsPath).forEach((rawFinding, index) => {
      const finding = isPlainObject(rawFinding) ? rawFinding : { value: rawFinding };
      const findingId = textOf(getOwnPath(finding, findingIdPath)) || ownText(finding, 'finding_id') || ownText(finding, 'rule_id') || ownText(finding, 'code') || `finding-${index + 1}`;
      const item: FindingPacketItem = {
        id: `${packetId}:${findingId}`,
        packet_id: packetId,
        finding_id: findingId,
        index,
        packet_index: packetIndex,
        group_key: groupKey({ packet, finding }),
        type: ownText(finding, 'type') || ownText(finding, 'kind') || ownText(finding, 'rule_id'),
        severity: ownText(finding, 'severity'),
        path: ownText(finding, 'path') || ownText(finding, 'file'),
        message: ownText(finding, 'message') || ownText(finding, 'description'),
        finding,
      };
      if (normalized.include_packet) item.packet = packet;
      items.push(item);
    });
  });
  return items;
}

function findingsOf(packet: JsonObject, findingsPath: readonly string[]): readonly unknown[] {
  const atPath = getOwnPath(packet, findingsPath);
  if (Array.isArray(atPath)) return atPath;
  for (const field of ['findings', 'diagnostics']) {
    const value = Object.hasOwn(packet, field) ? packet[field] : undefined;
    if (Array.isArray(value)) return value;
  }
  const single = Object.hasOwn(packet, 'finding') ? packet['finding'] : undefined;
  return isPlainObject(single) ? [single] : [];
}

function ownText(value: JsonObject, field: string): string {
  return Object.hasOwn(value, field) ? textOf(value[field]) : '';
}
