import { describe, expect, it } from 'vitest';
import type { Handoff } from '../queue/handoff.js';
import { assemblePrompt, type AssemblePromptInput, type UpstreamHandoff } from './assemble-prompt.js';
import type { AgentPrompt } from './parse-agent-prompt.js';

const prompt: AgentPrompt = {
  name: 'instrument',
  type: 'instrument',
  skills: ['careful'],
  allowedTools: ['Read', 'Edit'],
  disallowedTools: ['enqueue_task', 'Bash'],
  dependsOn: [],
  writes: [],
  seed: false,
  sink: false,
  fallback: false,
  body: '# Capture the events\n\nAdd the captures.',
  file: 'prompts/instrument.md',
};

function upstream(id: string, type: string, fields: Partial<Handoff> = {}): UpstreamHandoff {
  return {
    task: { id, type, label: `Do ${type}` },
    handoff: { taskId: id, type, status: 'done', goal: `goal of ${id}`, did: `did ${id}`, forNextAgent: `next from ${id}`, completedAt: '2026-01-01T00:00:00.000Z', ...fields },
  };
}

function input(overrides: Partial<AssemblePromptInput> = {}): AssemblePromptInput {
  return {
    task: { id: 't-0004', type: 'instrument', label: 'Capture the planned events', inputs: { framework: 'nextjs', events: 5 }, attempts: 1, maxAttempts: 2 },
    prompt,
    skills: [{ name: 'careful', description: 'Edit safely.', body: '## Rule\n\nRead first.', file: 'prompts/skills/careful.md' }],
    upstream: [upstream('t-0001', 'init', { filesTouched: ['src/lib/posthog.ts'], evidence: 'Read it back.', assumptions: 'ESM.' })],
    ...overrides,
  };
}

describe('assemblePrompt', () => {
  it('renders the whole prompt a fresh agent receives', () => {
    expect(assemblePrompt(input())).toBe(`# Task: Capture the planned events

You are one step of a larger drover run, started as a fresh agent with no memory of the steps before you: this prompt is all you know. Stay strictly on this task and leave other work to later steps.

- task id: \`t-0004\`
- type: \`instrument\`
- attempt: 1 of 2

## Your task input

- framework: nextjs
- events: 5

## Instructions

### Capture the events

Add the captures.

## Skills

### careful

_Edit safely._

#### Rule

Read first.

## Context from previous steps

The handoffs of every step this task depends on, directly or through others, oldest first. Trust them; do not redo or re-verify their work. \`read_handoffs\` returns the same handoffs as JSON.

### Do init (init, t-0001)

- status: done
- did: did t-0001
- for you: next from t-0001
- files: \`src/lib/posthog.ts\`
- evidence: Read it back.
- assumptions: ESM.

## Tools

These are your drover tools; there are no others. Work they cannot do belongs in your handoff, for a later step.

- \`complete_task\` \`{status, handoff}\`: report this task's result, exactly once, as your last action (see below).
- \`read_handoffs\` \`{taskId?, type?}\`: the handoffs of finished tasks, as JSON.

Other tools for this step: Read, Edit.
Do not use: Bash.

## When you are done

Call \`complete_task\` exactly once, as your last action:

\`\`\`json
{
  "status": "done",
  "handoff": {
    "goal": "what this task was asked to do",
    "did": "what you actually did, file by file",
    "forNextAgent": "what the next step needs to know",
    "filesTouched": ["paths relative to the project"],
    "evidence": "what you ran or saw that shows it works",
    "assumptions": "what you assumed and could not verify"
  }
}
\`\`\`

- \`done\`: the task is finished.
- \`skipped\`: the task does not apply to this project; say why in \`did\`.
- \`failed\`: you could not finish; say what stopped you in \`forNextAgent\`.

\`goal\`, \`did\` and \`forNextAgent\` are required; leave out the fields you have nothing for. The next agent knows nothing but what you write, so write for a stranger.
`);
  });

  it('is deterministic', () => {
    expect(assemblePrompt(input())).toBe(assemblePrompt(input()));
  });

  it('shows the handoffs of all ancestors in the order given (roots first), each once', () => {
    const text = assemblePrompt(
      input({ upstream: [upstream('t-0001', 'install'), upstream('t-0002', 'init'), upstream('t-0003', 'plan'), upstream('t-0002', 'init')] }),
    );
    const headings = [...text.matchAll(/^### Do \w+ \((\w+), (t-\d+)\)$/gm)].map((match) => match[2]);
    expect(headings).toEqual(['t-0001', 't-0002', 't-0003']);
    expect(text).toContain('- for you: next from t-0003');
  });

  it('says so when no step comes before', () => {
    expect(assemblePrompt(input({ upstream: [] }))).toContain('## Context from previous steps\n\nNone: no step comes before this one.');
  });

  it('keeps agent-written handoff text inside its block', () => {
    const text = assemblePrompt(input({ upstream: [upstream('t-0001', 'plan', { status: 'failed', forNextAgent: '## Events\n\n1. signed up\n2. paid' })] }));
    expect(text).toContain('- status: failed\n- did: did t-0001\n- for you: #### Events\n\n  1. signed up\n  2. paid\n\n## Tools');
  });

  it('JSON-encodes non-string inputs and fences long or multi-line values', () => {
    const text = assemblePrompt(
      input({ task: { ...input().task, inputs: { flag: true, none: null, list: ['a'], empty: '', notes: 'one\ntwo ``` three', big: { text: 'x'.repeat(130) } } } }),
    );
    expect(text).toContain('- flag: true\n- none: null\n- list: ["a"]\n- empty: ""\n- notes:\n\n  ````\n  one\n  two ``` three\n  ````\n');
    expect(text).toContain(`- big:\n\n  \`\`\`json\n  {\n    "text": "${'x'.repeat(130)}"\n  }\n  \`\`\`\n`);
    expect(assemblePrompt(input({ task: { ...input().task, inputs: {} } }))).toContain('## Your task input\n\nNone.\n');
  });

  it('tells a retry what happened to the previous attempt', () => {
    const task = { ...input().task, attempts: 2, error: { kind: 'timeout' as const, message: 'ran past 10m' } };
    expect(assemblePrompt(input({ task }))).toContain('- attempt: 2 of 2\n\nThis is a retry: the previous attempt ended with timeout: ran past 10m.');
  });

  it('lists enqueue_task with the known types only when the prompt allows it', () => {
    const open = { ...prompt, disallowedTools: [] };
    const text = assemblePrompt(input({ prompt: open, taskTypes: ['llm-analytics', 'report'] }));
    expect(text).toMatch(/^- `enqueue_task` .* Task types: `llm-analytics`, `report`\.$/m);
    expect(assemblePrompt(input({ taskTypes: ['report'] }))).not.toContain('enqueue_task');
  });

  it('nests the body and skill headings under the prompt\'s own sections', () => {
    const text = assemblePrompt(input());
    expect(text.match(/^# /gm)).toHaveLength(1);
    expect(text).toContain('### Capture the events');
    expect(text).toContain('#### Rule');
  });
});
