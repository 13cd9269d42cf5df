import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { InputError } from '../errors/input-error.js';
import { schemaFor } from '../util/check-with-schema.js';
import type { Zod } from '../util/load-zod.js';
import { describeValue } from '../util/describe-value.js';
import { jsonPath } from '../util/json-path.js';

/**
 * A frontmatter's schema: `define` builds the strict zod object (the one source of the rules and
 * messages), `fast` parses what it surely accepts to the same value without zod, else undefined.
 */
export interface FrontmatterSchema<T> {
  readonly define: (z: Zod) => z.ZodObject;
  readonly fast: (data: unknown) => T | undefined;
}

/**
 * Parses frontmatter YAML with a real YAML 1.2 parser (duplicate keys are errors) and validates
 * it against a strict zod object, loaded only when the fast parse does not accept the fields.
 * Every failure is one `InputError` line naming the file and the frontmatter path:
 * `prompts/plan.md: frontmatter $.skills: expected array, got string`.
 */
export function parseFrontmatter<T>(spec: FrontmatterSchema<T>, yaml: string, yamlLine: number, file: string): T {
  const lineCounter = new LineCounter();
  const doc = parseDocument(yaml, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const error = doc.errors[0];
  if (error !== undefined) {
    const line = lineCounter.linePos(error.pos[0]).line + yamlLine - 1;
    throw new InputError(`invalid YAML at line ${line}: ${error.message}`, { file, jsonPath: 'frontmatter' });
  }
  // An empty block (`---` straight after `---`) parses to null: treat it as no keys.
  let data: unknown;
  try {
    // yaml refuses an alias bomb (aliases expanding exponentially) here, with a RangeError-like message and no file.
    data = doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (error) {
    throw new InputError(`YAML refused: ${(error as Error).message}`, { file, jsonPath: 'frontmatter' });
  }
  const fast = spec.fast(data);
  if (fast !== undefined) return fast;
  const schema = schemaFor(spec.define) as z.ZodObject;
  const result = schema.safeParse(data, { reportInput: true });
  if (result.success) return result.data as T;
  const issue = result.error.issues[0];
  if (issue === undefined) throw new InputError('invalid frontmatter', { file, jsonPath: 'frontmatter' });
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    const known = Object.keys(schema.shape).join(', ');
    throw new InputError(`unknown key (known keys: ${known})`, { file, jsonPath: frontmatterPath([...issue.path, key]) });
  }
  const detail = issue.code === 'invalid_type' ? `expected ${issue.expected}, got ${describeValue(issue.input)}` : issue.message;
  throw new InputError(detail, { file, jsonPath: frontmatterPath(issue.path) });
}

/** `['skills', 2]` → `frontmatter $.skills[2]`. */
export function frontmatterPath(path: readonly PropertyKey[]): string {
  return `frontmatter ${jsonPath(path)}`;
}
