import { basename, extname } from 'node:path';
import type { z as Z } from 'zod';
import { InputError } from '../errors/input-error.js';
import { frontmatterPath, parseFrontmatter, type FrontmatterSchema } from './parse-frontmatter.js';
import { fastSkillFrontmatter, type SkillFrontmatter } from './fast-frontmatter.js';
import { tidyBody } from './parse-agent-prompt.js';
import { splitFrontmatter } from './split-frontmatter.js';

/**
 * A mini-skill: a short, reusable piece of know-how (the "how") that prompts pull in by name
 * through their `skills` list. Its body is appended to the assembled prompt under `## Skills`.
 */
export interface Skill {
  /** The file name without `.md`; what prompts reference. */
  readonly name: string;
  /** One line on when the skill applies; shown above its body. */
  readonly description?: string;
  readonly body: string;
  readonly file: string;
}

/** The skill frontmatter's rules and messages (built with zod loaded only to word an error). */
export function defineSkillFrontmatter(z: typeof Z) {
  return z.strictObject({
    name: z.string().min(1, { error: 'expected a non-empty string' }).optional(),
    description: z.string().min(1, { error: 'expected a non-empty string' }).optional(),
  });
}

const skillFrontmatter: FrontmatterSchema<SkillFrontmatter> = { define: defineSkillFrontmatter, fast: fastSkillFrontmatter };

/** Parses a mini-skill file. Frontmatter is optional; a `name` in it must match the file name. */
export function parseSkill(source: string, file: string): Skill {
  const { yaml, yamlLine, body: rawBody } = splitFrontmatter(source, file);
  const fields = yaml === undefined ? {} : parseFrontmatter(skillFrontmatter, yaml, yamlLine, file);
  const name = basename(file, extname(file));
  if (fields.name !== undefined && fields.name !== name) {
    // Prompts reference skills by file name, and --prompts shadows by file name; a second name would make both ambiguous.
    throw new InputError(`${JSON.stringify(fields.name)} differs from the file name "${name}"; skills are referenced by file name`, { file, jsonPath: frontmatterPath(['name']) });
  }
  const body = tidyBody(rawBody);
  if (body === '') throw new InputError('the body is empty; write the skill below the frontmatter', { file });
  return { name, ...(fields.description !== undefined ? { description: fields.description } : {}), body, file };
}
