import type { z } from 'zod';
import { InputError } from '../errors/input-error.js';
import { describeValue } from './describe-value.js';
import { jsonPath } from './json-path.js';

/**
 * Validates `value` against `schema` at an edge (a file, a flag, a tool call). On failure it
 * throws one `InputError` for the first issue, naming the file and the JSON path:
 * `items.json: $.items[3].category: expected string, got number`.
 */
export function parseWithSchema<S extends z.ZodType>(schema: S, value: unknown, file?: string): z.output<S> {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (issue === undefined) throw new InputError('invalid value', { file });
  throw new InputError(describeIssue(issue), { file, jsonPath: jsonPath(issue.path) });
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') {
    return `expected ${issue.expected}, got ${describeValue(issue.input)}`;
  }
  return issue.message;
}
