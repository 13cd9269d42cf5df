import { canonicalJson } from './canonical-json.js';

/** Two tasks with the same type and the same inputs (key order aside) do the same work. */
export function dedupKey(type: string, inputs: Readonly<Record<string, unknown>>): string {
  return `${type}\u0000${canonicalJson(inputs)}`;
}
