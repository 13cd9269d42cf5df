import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { badValue, documentAt, EDGE_VALUES } from '../../test/helpers/schema-arbitraries.js';
import { fastAgentPromptFrontmatter, fastSkillFrontmatter } from './fast-frontmatter.js';
import { defineAgentPromptFrontmatter } from './parse-agent-prompt.js';
import { defineSkillFrontmatter } from './parse-skill.js';

const agentSchema = defineAgentPromptFrontmatter(z);
const skillSchema = defineSkillFrontmatter(z);

const name = fc.oneof(fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,10}$/), fc.constantFrom('Bad', '-x', 'a b', ''));
const text = fc.oneof(fc.string({ minLength: 1, maxLength: 6 }), fc.constant(''));
const glob = fc.constantFrom('src/**', 'app/*.ts', '../x', '/abs', 'a\\b', ' ', '');
const list = <T>(item: fc.Arbitrary<T>) => fc.array(item, { maxLength: 3 });
const agentFields: Record<string, fc.Arbitrary<unknown>> = {
  type: name, label: text, model: text, effort: text, writes: list(glob), skills: list(name), allowedTools: list(text), disallowedTools: list(text),
  dependsOn: list(name), seed: fc.boolean(), sink: fc.boolean(), fallback: fc.boolean(),
};
const skillFields: Record<string, fc.Arbitrary<unknown>> = { name: text, description: text };

/** Frontmatter as YAML gives it: the fields (some invalid), one replaced by any value, an unknown key, or not an object. */
const frontmatter = (fields: Record<string, fc.Arbitrary<unknown>>, withNonJson: boolean) => {
  const document = fc.record(fields, { requiredKeys: [] });
  const change = fc.tuple(document, fc.constantFrom(...Object.keys(fields)), fc.oneof(badValue(withNonJson), fc.constant(undefined))).map(([fields, key, value]) => ({ ...fields, [key]: value }));
  return fc.oneof(document, document, change, document.map((fields) => ({ ...fields, unknown: 1 })), withNonJson ? fc.anything() : badValue(false));
};

function expectSameAsZod(fast: (data: unknown) => unknown, schema: z.ZodType, data: unknown, json: boolean): void {
  const parsed = fast(data);
  const zod = schema.safeParse(data);
  if (parsed !== undefined) {
    expect(zod.success).toBe(true);
    expect(parsed).toStrictEqual(zod.data);
    expect(JSON.stringify(parsed)).toBe(JSON.stringify(zod.data));
  } else if (json) {
    expect(zod.success, JSON.stringify(data)).toBe(false);
  }
}

describe('the zod-free frontmatter parses', () => {
  for (const [what, fast, schema, fields] of [
    ['agent prompt', fastAgentPromptFrontmatter, agentSchema, agentFields],
    ['skill', fastSkillFrontmatter, skillSchema, skillFields],
  ] as const) {
    it(`${what}: accepts exactly what the schema accepts on JSON data, with the same value (defaults filled, same keys and order)`, () => {
      fc.assert(fc.property(frontmatter(fields, false), (data) => expectSameAsZod(fast, schema, data, true)), { numRuns: 600 });
      for (const key of [...Object.keys(fields), 'other']) {
        for (const value of EDGE_VALUES) expectSameAsZod(fast, schema, documentAt([key], value), true);
      }
    });

    it(`${what}: never accepts what the schema rejects, whatever the value`, () => {
      fc.assert(fc.property(frontmatter(fields, true), (data) => expectSameAsZod(fast, schema, data, false)), { numRuns: 400 });
    });
  }

  it('covers every field of each schema (a new field needs its fast parse and its arbitrary here)', () => {
    expect(Object.keys(agentFields).sort()).toEqual(Object.keys(agentSchema.shape).sort());
    expect(Object.keys(skillFields).sort()).toEqual(Object.keys(skillSchema.shape).sort());
  });

  it('gives a bundled prompt\'s fields without zod', () => {
    expect(fastAgentPromptFrontmatter({ type: 'plan', skills: ['a'] })).toEqual({ type: 'plan', writes: [], skills: ['a'], allowedTools: [], disallowedTools: [], dependsOn: [], seed: false, sink: false, fallback: false });
  });
});
