import { basename, extname } from 'node:path';
import type { z as Z } from 'zod';
import { InputError } from '../errors/input-error.js';
import { frontmatterPath, parseFrontmatter, type FrontmatterSchema } from './parse-frontmatter.js';
import { fastAgentPromptFrontmatter, type AgentPromptFrontmatter } from './fast-frontmatter.js';
import { splitFrontmatter } from './split-frontmatter.js';
import { toolsAllowedFor } from './tools-allowed-for.js';
import { isWriteGlob } from '../queue/write-scopes.js';
import { PROMPT_NAME_PATTERN } from './prompt-name-pattern.js';

/**
 * One agent prompt: the instructions a fresh agent gets for a task type, plus what the
 * frontmatter says about it. See docs/prompts.md for the format.
 */
export interface AgentPrompt {
  /** The file name without `.md`; what `--prompts DIR` shadows and what a resolver's `fallback` names. */
  readonly name: string;
  /** The task type this prompt runs (frontmatter `type`, else the name). */
  readonly type: string;
  /** Display label for tasks of this type when the enqueuer gave none. */
  readonly label?: string;
  /** A model hint for agent CLIs that take one. */
  readonly model?: string;
  /** A reasoning-effort hint (`low`, `medium`, `high`) for agent CLIs that take one. */
  readonly effort?: string;
  /**
   * The paths tasks of this type write, as globs relative to the install dir (`src/**`). Two tasks
   * whose scopes overlap never run at once; a type without `writes` is unscoped.
   */
  readonly writes: readonly string[];
  /** Names of mini-skills (`skills/<name>.md`) appended to the prompt. */
  readonly skills: readonly string[];
  readonly allowedTools: readonly string[];
  readonly disallowedTools: readonly string[];
  /** Task types this type normally runs after. Advisory: the real graph is built from ids at enqueue. */
  readonly dependsOn: readonly string[];
  /** The orchestrator's prompt; not a task type. At most one per library. */
  readonly seed: boolean;
  /** A final task type that must depend on every other task (the report). */
  readonly sink: boolean;
  /** A generic prompt that claims no type; a resolver may run any type on it (the walking skeleton's stub). */
  readonly fallback: boolean;
  /** The markdown after the frontmatter, without leading blank lines or trailing whitespace. */
  readonly body: string;
  /** The path it was read from, for error messages. */
  readonly file: string;
}

export { PROMPT_NAME_PATTERN } from './prompt-name-pattern.js';

/** The frontmatter's rules and messages, as a strict zod object (built with zod loaded only to word an error). */
export function defineAgentPromptFrontmatter(z: typeof Z) {
  const name = (what: string) =>
    z.string().regex(PROMPT_NAME_PATTERN, { error: (issue) => `expected a ${what} made of a-z, 0-9, ".", "_" and "-", got ${JSON.stringify(issue.input)}` });
  const text = z.string().min(1, { error: 'expected a non-empty string' });

  const writeGlob = z.string().refine((glob) => isWriteGlob(glob), { error: (issue) => `expected a glob relative to the install dir, without ".." or a leading "/", got ${JSON.stringify(issue.input)}` });

  return z.strictObject({
    type: name('task type').optional(),
    label: text.optional(),
    model: text.optional(),
    effort: text.optional(),
    writes: z.array(writeGlob).default([]),
    skills: z.array(name('skill name')).default([]),
    allowedTools: z.array(text).default([]),
    disallowedTools: z.array(text).default([]),
    dependsOn: z.array(name('task type')).default([]),
    seed: z.boolean().default(false),
    sink: z.boolean().default(false),
    fallback: z.boolean().default(false),
  });
}

const agentPromptFrontmatter: FrontmatterSchema<AgentPromptFrontmatter> = { define: defineAgentPromptFrontmatter, fast: fastAgentPromptFrontmatter };

/**
 * Parses an agent prompt file: YAML frontmatter (required, may be empty) and a non-empty
 * markdown body. Throws one-line `InputError`s naming the file and the frontmatter path.
 */
export function parseAgentPrompt(source: string, file: string): AgentPrompt {
  const { yaml, yamlLine, body: rawBody } = splitFrontmatter(source, file);
  if (yaml === undefined) {
    throw new InputError('expected a YAML frontmatter block: a "---" line first, the fields, then another "---" line', { file });
  }
  const fields = parseFrontmatter(agentPromptFrontmatter, yaml, yamlLine, file);
  const body = tidyBody(rawBody);
  if (body === '') throw new InputError('the body is empty; write the agent\'s instructions below the frontmatter', { file });
  const prompt: AgentPrompt = {
    name: basename(file, extname(file)),
    type: fields.type ?? basename(file, extname(file)),
    ...(fields.label !== undefined ? { label: fields.label } : {}),
    ...(fields.model !== undefined ? { model: fields.model } : {}),
    ...(fields.effort !== undefined ? { effort: fields.effort } : {}),
    writes: fields.writes,
    skills: fields.skills,
    allowedTools: fields.allowedTools,
    disallowedTools: fields.disallowedTools,
    dependsOn: fields.dependsOn,
    seed: fields.seed,
    sink: fields.sink,
    fallback: fields.fallback,
    body,
    file,
  };
  checkConsistency(prompt);
  return prompt;
}

/** Strips leading blank lines (not indentation) and trailing whitespace. */
export function tidyBody(body: string): string {
  return body.replace(/^(?:[ \t]*\n)+/, '').trimEnd();
}

function checkConsistency(prompt: AgentPrompt): void {
  const fail = (path: PropertyKey[], detail: string): never => {
    throw new InputError(detail, { file: prompt.file, jsonPath: frontmatterPath(path) });
  };
  if (prompt.seed && prompt.sink) fail(['sink'], 'the seed prompt cannot also be a sink');
  if (prompt.fallback && (prompt.seed || prompt.sink)) fail(['fallback'], 'a fallback prompt cannot also be the seed or a sink');
  for (const key of ['skills', 'allowedTools', 'disallowedTools', 'dependsOn', 'writes'] as const) {
    prompt[key].forEach((value, index) => {
      if (prompt[key].indexOf(value) !== index) fail([key, index], `${JSON.stringify(value)} is listed twice`);
    });
  }
  prompt.disallowedTools.forEach((tool, index) => {
    if (prompt.allowedTools.includes(tool)) fail(['disallowedTools', index], `${JSON.stringify(tool)} is also in allowedTools`);
  });
  if (prompt.seed && prompt.dependsOn.length > 0) fail(['dependsOn'], 'the seed runs before every task, so it cannot depend on task types');
  const tools = toolsAllowedFor(prompt);
  if (prompt.seed && !tools.includes('enqueue_task')) fail(['disallowedTools'], 'the seed prompt must be allowed enqueue_task, or it cannot seed the queue');
  if (!prompt.seed && !tools.includes('complete_task')) fail(['disallowedTools'], 'a task prompt must be allowed complete_task, or its tasks can never finish');
}
