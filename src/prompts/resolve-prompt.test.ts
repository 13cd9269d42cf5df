import { describe, expect, it } from 'vitest';
import { buildPromptLibrary } from './build-prompt-library.js';
import { createPromptResolver } from './resolve-prompt.js';
import type { AgentPrompt } from './parse-agent-prompt.js';

function testPrompt(fields: Partial<AgentPrompt> & Pick<AgentPrompt, 'name'>): AgentPrompt {
  const defaults = { type: fields.name, skills: [], allowedTools: [], disallowedTools: [], dependsOn: [], writes: [], seed: false, sink: false, fallback: false };
  return { ...defaults, body: `Body of ${fields.name}.`, file: `prompts/${fields.name}.md`, ...fields };
}

const library = buildPromptLibrary(
  [
    testPrompt({ name: 'seed', seed: true }),
    testPrompt({ name: 'stub', fallback: true }),
    testPrompt({ name: 'plan' }),
    testPrompt({ name: 'instrument' }),
    testPrompt({ name: 'report', sink: true }),
  ],
  [],
);

describe('createPromptResolver', () => {
  it('maps each type to the prompt that declares it', () => {
    const resolver = createPromptResolver(library);
    expect(resolver.resolve('plan').name).toBe('plan');
    expect(resolver.resolve('report').name).toBe('report');
  });

  it('lists the enqueueable types and sinks, without the seed or fallbacks', () => {
    const resolver = createPromptResolver(library);
    expect(resolver.taskTypes).toEqual(['instrument', 'plan', 'report']);
    expect(resolver.sinkTypes).toEqual(['report']);
    expect(resolver.seed?.name).toBe('seed');
    expect(resolver.accepts('plan')).toBe(true);
    expect(resolver.accepts('stub')).toBe(false);
    expect(resolver.accepts('seed')).toBe(false);
  });

  it('refuses a type nothing resolves, naming the known ones', () => {
    expect(() => createPromptResolver(library).resolve('identify')).toThrow('no prompt for task type "identify" (known types: instrument, plan, report)');
  });

  it('in stub mode runs every type on the stub, but accepts only the declared types', () => {
    const resolver = createPromptResolver(library, { fallback: 'stub', fallbackFor: 'all' });
    expect(resolver.resolve('plan').name).toBe('stub');
    expect(resolver.resolve('report').name).toBe('stub');
    expect(resolver.taskTypes).toEqual(['instrument', 'plan', 'report']);
    expect(resolver.accepts('plna')).toBe(false);
  });

  it('by default uses the fallback only for types without a prompt', () => {
    const resolver = createPromptResolver(library, { fallback: 'stub' });
    expect(resolver.resolve('plan').name).toBe('plan');
    expect(resolver.resolve('identify').name).toBe('stub');
    expect(resolver.accepts('identify')).toBe(false);
  });

  it('accepts any type when asked to, running the unknown ones on the fallback', () => {
    const resolver = createPromptResolver(library, { fallback: 'stub', allowUnknownTypes: true });
    expect(resolver.accepts('identify')).toBe(true);
    expect(resolver.allowsUnknownTypes).toBe(true);
    expect(resolver.resolve('identify').name).toBe('stub');
  });

  it('refuses a fallback that is missing or not marked as one', () => {
    expect(() => createPromptResolver(library, { fallback: 'stubb' })).toThrow('no prompt named "stubb"; fallback prompts: stub');
    expect(() => createPromptResolver(library, { fallback: 'plan' })).toThrow('prompt "plan" (prompts/plan.md) is not marked `fallback: true`; fallback prompts: stub');
  });
});
