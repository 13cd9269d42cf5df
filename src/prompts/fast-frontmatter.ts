import { isWriteGlob } from '../queue/write-scopes.js';
import { hasOnlyKeys, isJsonObject } from '../util/shape-checks.js';
import { PROMPT_NAME_PATTERN } from './prompt-name-pattern.js';

/** The fields of an agent prompt's frontmatter, defaults applied (what `defineAgentPromptFrontmatter` returns). */
export interface AgentPromptFrontmatter {
  type?: string | undefined;
  label?: string | undefined;
  model?: string | undefined;
  effort?: string | undefined;
  writes: string[];
  skills: string[];
  allowedTools: string[];
  disallowedTools: string[];
  dependsOn: string[];
  seed: boolean;
  sink: boolean;
  fallback: boolean;
}

/** The fields of a skill's frontmatter (what `defineSkillFrontmatter` returns). */
export interface SkillFrontmatter {
  name?: string | undefined;
  description?: string | undefined;
}

/** Stands for "not accepted here": zod decides. */
const NO = Symbol('no');
type Field = unknown;
interface Rule {
  readonly parse: (value: unknown) => Field;
  /** The value when the key is absent or undefined (a zod `.default`). */
  readonly default?: () => unknown;
}

const isName = (value: unknown): boolean => typeof value === 'string' && PROMPT_NAME_PATTERN.test(value);
const isText = (value: unknown): boolean => typeof value === 'string' && value.length > 0;
const only = (check: (value: unknown) => boolean) => (value: unknown): Field => (check(value) ? value : NO);
const listOf = (check: (value: unknown) => boolean) => (value: unknown): Field => {
  if (!Array.isArray(value)) return NO;
  for (let index = 0; index < value.length; index += 1) if (!(index in value) || !check(value[index])) return NO;
  return [...value] as unknown[];
};
const isBoolean = (value: unknown): boolean => typeof value === 'boolean';

/** A strict object's fast parse: the schema's keys in its order, defaults filled, undefined when unsure. */
function parseStrict(data: unknown, rules: Readonly<Record<string, Rule>>): Record<string, unknown> | undefined {
  if (!isJsonObject(data) || !hasOnlyKeys(data, new Set(Object.keys(rules)))) return undefined;
  const output: Record<string, unknown> = {};
  for (const key in rules) {
    const rule = rules[key]!;
    const value = data[key];
    if (value === undefined) {
      if (rule.default !== undefined) output[key] = rule.default();
      else if (key in data) output[key] = undefined;
      continue;
    }
    const parsed = rule.parse(value);
    if (parsed === NO) return undefined;
    output[key] = parsed;
  }
  return output;
}

const AGENT_PROMPT_RULES: Record<string, Rule> = {
  type: { parse: only(isName) },
  label: { parse: only(isText) },
  model: { parse: only(isText) },
  effort: { parse: only(isText) },
  writes: { parse: listOf((value) => typeof value === 'string' && isWriteGlob(value)), default: () => [] },
  skills: { parse: listOf(isName), default: () => [] },
  allowedTools: { parse: listOf(isText), default: () => [] },
  disallowedTools: { parse: listOf(isText), default: () => [] },
  dependsOn: { parse: listOf(isName), default: () => [] },
  seed: { parse: only(isBoolean), default: () => false },
  sink: { parse: only(isBoolean), default: () => false },
  fallback: { parse: only(isBoolean), default: () => false },
};

const SKILL_RULES: Record<string, Rule> = { name: { parse: only(isText) }, description: { parse: only(isText) } };

/**
 * The zod-free parse of an agent prompt's frontmatter: the value `defineAgentPromptFrontmatter`'s
 * schema returns, or undefined where it is not sure the schema accepts it (zod then decides and
 * words the error). `fast-frontmatter.test.ts` proves both against the zod schemas.
 */
export function fastAgentPromptFrontmatter(data: unknown): AgentPromptFrontmatter | undefined {
  return parseStrict(data, AGENT_PROMPT_RULES) as AgentPromptFrontmatter | undefined;
}

/** The zod-free parse of a skill's frontmatter (see `fastAgentPromptFrontmatter`). */
export function fastSkillFrontmatter(data: unknown): SkillFrontmatter | undefined {
  return parseStrict(data, SKILL_RULES) as SkillFrontmatter | undefined;
}
