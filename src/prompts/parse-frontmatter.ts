import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import type { z } from 'zod';
import { InputError } from '../errors/input-error.js';
import { schemaFor } from '../util/check-with-schema.js';
import type { Zod } from '../util/load-zod.js';
import { describeValue } from '../util/describe-value.js';
import { jsonPath } from '../util/json-path.js';
import { readSimpleFrontmatter } from './simple-frontmatter.js';

/**
 * A frontmatter's schema: `define` builds the strict zod object (the one source of the rules and
 * messages), `fast` parses what it surely accepts to the same value without zod, else undefined.
 */
export interface FrontmatterSchema<T> {
  readonly define: (z: Zod) => z.ZodObject;
  readonly fast: (data: unknown) => T | undefined;
}

/**
 * Parses frontmatter YAML and validates it against a strict zod object. The simple forms prompts
 * are written in (`key: value`, lists, quoted strings) are read without a YAML library; anything
 * else goes to a real YAML 1.2 parser (duplicate keys are errors), loaded on first use. zod is
 * loaded only when the fast parse does not accept the fields. Every failure is one `InputError`
 * line naming the file and the frontmatter path:
 * `prompts/plan.md: frontmatter $.skills: expected array, got string`.
 */
export function parseFrontmatter<T>(spec: FrontmatterSchema<T>, yaml: string, yamlLine: number, file: string): T {
  const data = readSimpleFrontmatter(yaml) ?? parseYaml(yaml, yamlLine, file);
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

type YamlModule = typeof Yaml;
let yamlModule: YamlModule | undefined;

/**
 * Frontmatter through the `yaml` package, required on first use (its CommonJS build, so this
 * stays synchronous): an empty block parses to `{}`, errors are one line with the file's line.
 */
function parseYaml(yaml: string, yamlLine: number, file: string): unknown {
  yamlModule ??= createRequire(import.meta.url)('yaml') as YamlModule;
  const lineCounter = new yamlModule.LineCounter();
  const doc = yamlModule.parseDocument(yaml, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const error = doc.errors[0];
  if (error !== undefined) {
    const line = lineCounter.linePos(error.pos[0]).line + yamlLine - 1;
    throw new InputError(`invalid YAML at line ${line}: ${error.message}`, { file, jsonPath: 'frontmatter' });
  }
  try {
    // An empty block (`---` straight after `---`) parses to null: treat it as no keys. yaml
    // refuses an alias bomb (aliases expanding exponentially) here, with a message and no file.
    return doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (error) {
    throw new InputError(`YAML refused: ${(error as Error).message}`, { file, jsonPath: 'frontmatter' });
  }
}

/** `['skills', 2]` → `frontmatter $.skills[2]`. */
export function frontmatterPath(path: readonly PropertyKey[]): string {
  return `frontmatter ${jsonPath(path)}`;
}
