import { describe, expect, it } from 'vitest';
import { loadPromptLibrary } from './load-prompt-library.js';
import { createPromptResolver } from './resolve-prompt.js';
import { toolsAllowedFor } from './tools-allowed-for.js';

// The prompts shipped in the package: what `drover run` uses unless --prompts overrides them.
const library = await loadPromptLibrary();
const resolver = createPromptResolver(library);

describe('the bundled prompts', () => {
  it('declare the walking skeleton graph, with the report as the only sink', () => {
    expect(resolver.taskTypes).toEqual(['init', 'install', 'instrument', 'llm-analytics', 'plan', 'report']);
    expect(resolver.sinkTypes).toEqual(['report']);
  });

  it('have a seed whose catalog describes every task type', () => {
    const seed = library.seed;
    expect(seed?.name).toBe('seed');
    for (const type of resolver.taskTypes) expect(seed?.body).toContain(`- \`${type}\`:`);
    expect(toolsAllowedFor(seed!)).toEqual(['enqueue_task', 'read_handoffs']);
  });

  it('run every type on the stub in stub mode', () => {
    const stub = createPromptResolver(library, { fallback: 'stub', fallbackFor: 'all' });
    for (const type of resolver.taskTypes) expect(stub.resolve(type).name).toBe('stub');
  });

  it('give the stub its marker file and the queue tools it needs for dynamic enqueue', () => {
    const stub = library.prompts.find((prompt) => prompt.name === 'stub')!;
    expect(stub.body).toContain('markers/<task id>.json');
    expect(stub.body).toMatch(/status `done`/);
    expect(toolsAllowedFor(stub)).toEqual(['enqueue_task', 'complete_task', 'read_handoffs']);
  });

  it('let only plan enqueue, and make every task prompt self-contained', () => {
    for (const type of resolver.taskTypes) {
      const prompt = resolver.resolve(type);
      expect(toolsAllowedFor(prompt).includes('enqueue_task'), type).toBe(type === 'plan');
      expect(prompt.body, type).toContain('## Goal');
      expect(prompt.body, type).toContain('## Success criteria');
      expect(prompt.skills, type).toContain('handoff-writing');
    }
  });
});
