import { InputError } from '../errors/input-error.js';
import { jsonPath } from './json-path.js';

/**
 * How deep a JSON value may nest. Deeper values parse, but every recursive step after the parse
 * (JSON.stringify of the output, template rendering) would overflow the stack; real documents
 * nest a few dozen levels.
 */
export const MAX_NESTING_DEPTH = 1000;

/**
 * Throws one `InputError` naming the JSON path of the first value nested deeper than
 * `MAX_NESTING_DEPTH` (after `line N` for a JSON Lines value). Iterative, so checking cannot overflow either; leaves cost one `typeof`.
 */
export function assertNestingDepth(value: unknown, file: string, basePath: readonly PropertyKey[] = [], line?: number): void {
  if (typeof value !== 'object' || value === null) return;
  // Each frame: the container, its keys (undefined for arrays), the next position, the depth.
  const stack: { node: object; keys: string[] | undefined; next: number; key: PropertyKey }[] = [];
  const push = (node: object, key: PropertyKey) => {
    if (basePath.length + stack.length >= MAX_NESTING_DEPTH) {
      const path = [...basePath, ...stack.slice(1).map((frame) => frame.key), key];
      throw new InputError(`nested deeper than ${MAX_NESTING_DEPTH} levels`, { file, jsonPath: line === undefined ? jsonPath(path) : `line ${line} ${jsonPath(path)}` });
    }
    stack.push({ node, keys: Array.isArray(node) ? undefined : Object.keys(node), next: 0, key });
  };
  push(value, '');
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    if (frame === undefined) break;
    const size = frame.keys === undefined ? (frame.node as unknown[]).length : frame.keys.length;
    if (frame.next >= size) {
      stack.pop();
      continue;
    }
    const key: PropertyKey = frame.keys === undefined ? frame.next : (frame.keys[frame.next] ?? '');
    frame.next++;
    const child = (frame.node as Record<PropertyKey, unknown>)[key];
    if (typeof child === 'object' && child !== null) push(child, key);
  }
}
