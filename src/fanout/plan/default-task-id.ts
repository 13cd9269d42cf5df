import type { JsonObject } from '../../util/is-plain-object.js';
import { textOf } from '../json/text-of.js';

/**
 * `<run_id or plan_id or "fanout">-<group key>`, with every run of characters outside
 * `[A-Za-z0-9._-]` collapsed to one "-" so the id is safe in file names and URLs.
 */
export function defaultTaskId(orchestrator: JsonObject, groupKey: string): string {
  const prefix = textOf(orchestrator['run_id']) || textOf(orchestrator['plan_id']) || 'fanout';
  return `${prefix}-${groupKey}`.replace(/[^A-Za-z0-9._-]+/g, '-');
}
