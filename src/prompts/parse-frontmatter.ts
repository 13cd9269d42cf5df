import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { InputError } from '../errors/input-error.js';
import { describeValue } from '../util/describe-value.js';
import { jsonPath } from '../util/json-path.js';

/**
 * Parses frontmatter YAML with a real YAML 1.2 parser (duplicate keys are errors) and validates
 * it against a strict zod object. Every failure is one `InputError` line naming the file and the
 * frontmatter path: `prompts/plan.md: frontmatter $.skills: expected array, got string`.
 */
export function parseFrontmatter<S extends z.ZodObject>(schema: S, yaml: string, yamlLine: number, file: string): z.output<S> {
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
  const result = schema.safeParse(data, { reportInput: true });
  if (result.success) return result.data;
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
