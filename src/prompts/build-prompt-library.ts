import { InputError } from '../errors/input-error.js';
import { SEED_TASK_TYPE } from '../queue/seed-task.js';
import type { AgentPrompt } from './parse-agent-prompt.js';
import { frontmatterPath } from './parse-frontmatter.js';
import type { Skill } from './parse-skill.js';

/** A checked set of agent prompts and mini-skills. Build it with `buildPromptLibrary` or `loadPromptLibrary`. */
export interface PromptLibrary {
  /** Every prompt, sorted by name. */
  readonly prompts: readonly AgentPrompt[];
  /** Skills by name. */
  readonly skills: ReadonlyMap<string, Skill>;
  /** The prompt with `seed: true`, if any. */
  readonly seed: AgentPrompt | undefined;
}

/**
 * Checks prompts and skills against each other and returns the library:
 * prompt names are unique, no two prompts claim the same `type` (fallback prompts claim none),
 * at most one prompt is the seed, every `skills` entry names a skill, and every `dependsOn`
 * entry names a task type. Pass files base first, overrides after: a conflict is blamed on the
 * later file, which is the one a user just added, and the error says how to fix it.
 */
export function buildPromptLibrary(prompts: readonly AgentPrompt[], skills: readonly Skill[]): PromptLibrary {
  const skillsByName = new Map<string, Skill>();
  for (const skill of skills) {
    const other = skillsByName.get(skill.name);
    if (other !== undefined) throw new InputError(`skill "${skill.name}" is also defined by ${other.file}`, { file: skill.file });
    skillsByName.set(skill.name, skill);
  }
  const byPromptName = new Map<string, AgentPrompt>();
  const byType = new Map<string, AgentPrompt>();
  let seed: AgentPrompt | undefined;
  for (const prompt of prompts) {
    const sameName = byPromptName.get(prompt.name);
    if (sameName !== undefined) throw new InputError(`prompt "${prompt.name}" is also defined by ${sameName.file}`, { file: prompt.file });
    byPromptName.set(prompt.name, prompt);
    if (prompt.seed) {
      if (seed !== undefined) {
        throw new InputError(`a second seed prompt; ${seed.file} is already the seed (to replace it, name your file ${seed.name}.md)`, { file: prompt.file, jsonPath: frontmatterPath(['seed']) });
      }
      seed = prompt;
    }
    if (!prompt.seed && prompt.type === SEED_TASK_TYPE) {
      throw new InputError(`type "${SEED_TASK_TYPE}" is reserved for the run's seed task: mark this prompt \`seed: true\` or give it another type`, { file: prompt.file, jsonPath: frontmatterPath(['type']) });
    }
    if (prompt.fallback) continue;
    const claimant = byType.get(prompt.type);
    if (claimant !== undefined) {
      throw new InputError(`type "${prompt.type}" is already claimed by ${claimant.file} (to replace that prompt, name your file ${claimant.name}.md)`, { file: prompt.file, jsonPath: frontmatterPath(['type']) });
    }
    byType.set(prompt.type, prompt);
  }
  const sorted = [...prompts].sort(byName);
  for (const prompt of sorted) {
    prompt.skills.forEach((skill, index) => {
      if (!skillsByName.has(skill)) {
        throw new InputError(`unknown skill "${skill}" (known: ${listOrNone([...skillsByName.keys()])})`, { file: prompt.file, jsonPath: frontmatterPath(['skills', index]) });
      }
    });
    prompt.dependsOn.forEach((type, index) => {
      const target = byType.get(type);
      if (target === undefined || target.seed) {
        const known = sorted.filter((p) => !p.seed && !p.fallback).map((p) => p.type);
        throw new InputError(`unknown task type "${type}" (known: ${listOrNone(known)})`, { file: prompt.file, jsonPath: frontmatterPath(['dependsOn', index]) });
      }
    });
  }
  return { prompts: sorted, skills: new Map([...skillsByName].sort(([a], [b]) => compare(a, b))), seed };
}

/** The skills a prompt lists, in its order. */
export function skillsFor(library: PromptLibrary, prompt: AgentPrompt): Skill[] {
  return prompt.skills.map((name, index) => {
    const skill = library.skills.get(name);
    if (skill === undefined) throw new InputError(`unknown skill "${name}"`, { file: prompt.file, jsonPath: frontmatterPath(['skills', index]) });
    return skill;
  });
}

function byName(a: { name: string }, b: { name: string }): number {
  return compare(a.name, b.name);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function listOrNone(names: readonly string[]): string {
  return names.length === 0 ? 'none' : [...names].sort().join(', ');
}
