import type { Skill } from './parse-skill.js';
import { nestHeadings } from './nest-headings.js';

/** The `## Skills` body: each skill under `### <name>`, its description in italics, its headings nested below. */
export function renderSkills(skills: readonly Skill[]): string {
  return skills
    .map((skill) => {
      const description = skill.description === undefined ? '' : `_${skill.description}_\n\n`;
      return `### ${skill.name}\n\n${description}${nestHeadings(skill.body, 4)}`;
    })
    .join('\n\n');
}
