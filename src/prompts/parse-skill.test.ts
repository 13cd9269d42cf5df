import { describe, expect, it } from 'vitest';
import { parseSkill } from './parse-skill.js';

describe('parseSkill', () => {
  it('takes its name from the file and its description from the frontmatter', () => {
    expect(parseSkill('---\nname: read-before-write\ndescription: Edit safely.\n---\n\n- Read first.\n', 'skills/read-before-write.md')).toEqual({
      name: 'read-before-write',
      description: 'Edit safely.',
      body: '- Read first.',
      file: 'skills/read-before-write.md',
    });
  });

  it('needs no frontmatter', () => {
    expect(parseSkill('Just the how.\n', 'skills/how.md')).toEqual({ name: 'how', body: 'Just the how.', file: 'skills/how.md' });
  });

  it('rejects a name that differs from the file name, and unknown keys', () => {
    expect(() => parseSkill('---\nname: other\n---\nBody', 'skills/how.md')).toThrow(
      'skills/how.md: frontmatter $.name: "other" differs from the file name "how"; skills are referenced by file name',
    );
    expect(() => parseSkill('---\nallowed-tools: [Read]\n---\nBody', 'skills/how.md')).toThrow(
      'skills/how.md: frontmatter $["allowed-tools"]: unknown key (known keys: name, description)',
    );
  });

  it('rejects an empty body', () => {
    expect(() => parseSkill('---\nname: how\n---\n', 'skills/how.md')).toThrow('skills/how.md: the body is empty; write the skill below the frontmatter');
  });
});
