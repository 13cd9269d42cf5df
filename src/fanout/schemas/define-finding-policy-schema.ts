import type { z as Z } from 'zod';
import { expectedMessage } from '../config/expected-message.js';

/**
 * How finding packets become fanout items and groups (all fields optional; aliases accepted).
 * Takes zod as a parameter so it can be built with zod loaded only on a failure
 * (`isFindingPolicy` is its fast check).
 */
export function defineFindingPolicySchema(z: typeof Z) {
  const dotPath = z.string().min(1, 'expected a non-empty dot path');
  const pathList = z.union([dotPath, z.array(dotPath)], { error: expectedMessage('a dot path or an array of dot paths') });

  return z
    .looseObject({
      packet_id_path: dotPath.optional().meta({ description: 'Dot path of the packet id inside each packet. Default "id".' }),
      packetIdPath: dotPath.optional().meta({ description: 'Alias of packet_id_path.' }),
      findings_path: dotPath.optional().meta({ description: 'Dot path of the findings array inside each packet. Default "findings" (then "diagnostics", then a single "finding").' }),
      findingsPath: dotPath.optional().meta({ description: 'Alias of findings_path.' }),
      finding_id_path: dotPath.optional().meta({ description: 'Dot path of the finding id inside each finding. Default "id".' }),
      findingIdPath: dotPath.optional().meta({ description: 'Alias of finding_id_path.' }),
      group_by: pathList.optional().meta({ description: 'Dot paths into {packet, finding}; the non-empty values are joined with ":". Default ["finding.type", "finding.severity"].' }),
      groupBy: pathList.optional().meta({ description: 'Alias of group_by.' }),
      group_key_paths: pathList.optional().meta({ description: 'Alias of group_by.' }),
      groupKeyPaths: pathList.optional().meta({ description: 'Alias of group_by.' }),
      group_key_template: z.string().optional().meta({ description: 'A template rendered with {packet, finding}, e.g. "{{finding.type}}:{{finding.severity}}". Wins over group_by.' }),
      groupKeyTemplate: z.string().optional().meta({ description: 'Alias of group_key_template.' }),
      fallback_group_key: z.string().optional().meta({ description: 'The group key when nothing else yields one. Default "default".' }),
      fallbackGroupKey: z.string().optional().meta({ description: 'Alias of fallback_group_key.' }),
      include_packet: z.boolean().optional().meta({ description: 'Copy the whole packet into every finding item. Default true.' }),
    })
    .meta({ description: 'Finding-packet grouping policy.' });;
}
