import { describe, expect, it } from 'vitest';
import { assembleSeedPrompt } from './assemble-seed-prompt.js';
import type { AgentPrompt } from './parse-agent-prompt.js';

const seed: AgentPrompt = {
  name: 'seed',
  type: 'seed',
  skills: [],
  allowedTools: ['Read', 'Glob'],
  disallowedTools: ['Write', 'complete_task'],
  dependsOn: [],
  writes: [],
  seed: true,
  sink: false,
  fallback: false,
  body: '# Plan\n\nSeed install, then report.',
  file: 'prompts/seed.md',
};

describe('assembleSeedPrompt', () => {
  const text = assembleSeedPrompt({ prompt: seed, inputs: { framework: 'nextjs', packageManager: 'pnpm' }, skills: [], taskTypes: ['install', 'report'], sinkTypes: ['report'] });

  it('gives the orchestrator its findings, its body and the types the queue accepts', () => {
    expect(text).toMatch(/^# Orchestrator: plan this run\n/);
    expect(text).toContain('## Your input\n\n- framework: nextjs\n- packageManager: pnpm\n');
    expect(text).toContain('## Instructions\n\n### Plan\n\nSeed install, then report.');
    expect(text).toContain('## Task types\n\nThe queue accepts these task types: `install`, `report`.\nSinks, which must depend on every other task: `report`.');
  });

  it('offers enqueue_task and read_handoffs but never complete_task', () => {
    expect(text).toContain('- `enqueue_task` ');
    expect(text).toContain('- `read_handoffs` ');
    expect(text).not.toContain('- `complete_task`');
    expect(text).not.toContain('## When you are done');
  });
});
