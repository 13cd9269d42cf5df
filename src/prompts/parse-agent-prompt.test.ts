import { describe, expect, it } from 'vitest';
import { InputError } from '../errors/input-error.js';
import { parseAgentPrompt } from './parse-agent-prompt.js';

const FILE = 'prompts/plan.md';
const prompt = (frontmatter: string, body = 'Do the thing.') => `---\n${frontmatter}\n---\n${body}\n`;

function errorOf(source: string, file = FILE): string {
  try {
    parseAgentPrompt(source, file);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error('expected parseAgentPrompt to throw');
}

describe('parseAgentPrompt', () => {
  it('reads every frontmatter field and keeps the body', () => {
    const parsed = parseAgentPrompt(
      prompt(
        'type: plan\nlabel: Plan the events\nmodel: some-model\nskills: [read-before-write]\nallowedTools: [Read, Grep]\ndisallowedTools: [Bash]\ndependsOn: [init]\nsink: false',
        '\n\n# Plan\n\n    indented code stays\n\n',
      ),
      FILE,
    );
    expect(parsed).toEqual({
      name: 'plan',
      type: 'plan',
      label: 'Plan the events',
      model: 'some-model',
      skills: ['read-before-write'],
      allowedTools: ['Read', 'Grep'],
      disallowedTools: ['Bash'],
      dependsOn: ['init'],
      seed: false,
      sink: false,
      writes: [],
      fallback: false,
      body: '# Plan\n\n    indented code stays',
      file: FILE,
    });
  });

  it('defaults the type to the file name and the lists to empty', () => {
    const parsed = parseAgentPrompt('---\n---\nBody.', 'x/llm-analytics.md');
    expect(parsed.type).toBe('llm-analytics');
    expect(parsed.skills).toEqual([]);
    expect(parsed).not.toHaveProperty('label');
  });

  it('uses a real YAML parser: block scalars, quoted "#", booleans, CRLF', () => {
    const parsed = parseAgentPrompt('---\r\nlabel: "Step #1: plan"\r\nskills:\r\n  - a\r\n  - b\r\nsink: true\r\n---\r\nBody\r\n', FILE);
    expect(parsed.label).toBe('Step #1: plan');
    expect(parsed.skills).toEqual(['a', 'b']);
    expect(parsed.sink).toBe(true);
    const folded = parseAgentPrompt(prompt('label: >\n  Plan the\n  events'), FILE);
    expect(folded.label).toBe('Plan the events\n');
  });

  it('names the file and the frontmatter path when a field has the wrong type', () => {
    expect(errorOf(prompt('skills: read-before-write'))).toBe('prompts/plan.md: frontmatter $.skills: expected array, got string');
    expect(errorOf(prompt('skills: [a, 2]'))).toBe('prompts/plan.md: frontmatter $.skills[1]: expected string, got number');
    expect(errorOf(prompt('seed: "true"'))).toBe('prompts/plan.md: frontmatter $.seed: expected boolean, got string');
    expect(errorOf(prompt('label: ""'))).toBe('prompts/plan.md: frontmatter $.label: expected a non-empty string');
  });

  it('rejects unknown keys, listing the known ones', () => {
    expect(errorOf(prompt('skils: [a]'))).toBe(
      'prompts/plan.md: frontmatter $.skils: unknown key (known keys: type, label, model, effort, writes, skills, allowedTools, disallowedTools, dependsOn, seed, sink, fallback)',
    );
  });

  it('rejects a type that is not a safe lowercase name', () => {
    expect(errorOf(prompt('type: Plan Events'))).toBe(
      'prompts/plan.md: frontmatter $.type: expected a task type made of a-z, 0-9, ".", "_" and "-", got "Plan Events"',
    );
  });

  it('reports invalid YAML with the line in the file', () => {
    expect(errorOf(prompt('type: plan\ntype: other'))).toBe('prompts/plan.md: frontmatter: invalid YAML at line 3: Map keys must be unique');
    expect(errorOf(prompt('label: "unterminated'))).toMatch(/^prompts\/plan\.md: frontmatter: invalid YAML at line 2: /);
  });

  it('refuses a YAML alias bomb with one line naming the file (not an internal error)', () => {
    const level = (name: string, of: string) => `${name}: &${name} [${Array(9).fill(`*${of}`).join(', ')}]`;
    const bomb = ['x0: &x0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]', level('x1', 'x0'), level('x2', 'x1'), level('x3', 'x2'), level('x4', 'x3'), level('x5', 'x4')].join('\n');
    expect(errorOf(prompt(bomb))).toMatch(/^prompts\/plan\.md: frontmatter: YAML refused: .*alias/i);
  });

  it('rejects a frontmatter that is not a mapping', () => {
    expect(errorOf(prompt('- a\n- b'))).toBe('prompts/plan.md: frontmatter $: expected object, got array');
  });

  it('requires a frontmatter block, a closing fence and a body', () => {
    expect(errorOf('# Just markdown\n')).toMatch(/^prompts\/plan\.md: expected a YAML frontmatter block/);
    expect(errorOf('---\ntype: plan\n# no closing fence\n')).toBe('prompts/plan.md: frontmatter: no closing "---" line after the opening one on line 1');
    expect(errorOf('---\ntype: plan\n---\n\n  \n')).toBe("prompts/plan.md: the body is empty; write the agent's instructions below the frontmatter");
  });

  it('rejects contradictory flags and lists', () => {
    expect(errorOf(prompt('seed: true\nsink: true'))).toBe('prompts/plan.md: frontmatter $.sink: the seed prompt cannot also be a sink');
    expect(errorOf(prompt('fallback: true\nsink: true'))).toBe('prompts/plan.md: frontmatter $.fallback: a fallback prompt cannot also be the seed or a sink');
    expect(errorOf(prompt('skills: [a, a]'))).toBe('prompts/plan.md: frontmatter $.skills[1]: "a" is listed twice');
    expect(errorOf(prompt('allowedTools: [Read]\ndisallowedTools: [Read]'))).toBe('prompts/plan.md: frontmatter $.disallowedTools[0]: "Read" is also in allowedTools');
  });

  it('refuses prompts that could never finish or never seed', () => {
    expect(errorOf(prompt('disallowedTools: [complete_task]'))).toBe(
      'prompts/plan.md: frontmatter $.disallowedTools: a task prompt must be allowed complete_task, or its tasks can never finish',
    );
    expect(errorOf(prompt('allowedTools: [read_handoffs]'))).toMatch(/must be allowed complete_task/);
    expect(errorOf(prompt('seed: true\ndisallowedTools: [mcp__drover__enqueue_task]'))).toBe(
      'prompts/plan.md: frontmatter $.disallowedTools: the seed prompt must be allowed enqueue_task, or it cannot seed the queue',
    );
  });
});
