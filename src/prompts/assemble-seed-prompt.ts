import type { AgentPrompt } from './parse-agent-prompt.js';
import type { Skill } from './parse-skill.js';
import { inlineCode } from './markdown-text.js';
import { nestHeadings } from './nest-headings.js';
import { renderInputs } from './render-inputs.js';
import { renderSkills } from './render-skills.js';
import { renderToolsSection } from './render-tools-section.js';
import { toolsAllowedFor } from './tools-allowed-for.js';

export interface AssembleSeedPromptInput {
  /** The library's seed prompt. */
  readonly prompt: AgentPrompt;
  /** What drover found before the seed runs (detected framework, package manager, exploration findings). */
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly skills: readonly Skill[];
  /** `resolver.taskTypes` and `resolver.sinkTypes`. */
  readonly taskTypes: readonly string[];
  readonly sinkTypes: readonly string[];
}

/**
 * Builds the orchestrator's prompt: the rules of seeding, drover's findings, the seed body and
 * skills, and the task types the queue will accept (generated, so it cannot drift from the
 * library even if the body's own catalog does). Pure and deterministic.
 */
export function assembleSeedPrompt(input: AssembleSeedPromptInput): string {
  const { prompt } = input;
  const sections: [string, string][] = [
    ['Your input', renderInputs(input.inputs)],
    ['Instructions', nestHeadings(prompt.body, 3)],
  ];
  if (input.skills.length > 0) sections.push(['Skills', renderSkills(input.skills)]);
  sections.push(['Task types', renderTypes(input.taskTypes, input.sinkTypes)]);
  sections.push(['Tools', renderToolsSection(prompt, toolsAllowedFor(prompt), undefined)]);
  return `${HEADER}\n\n${sections.map(([title, body]) => `## ${title}\n\n${body.trimEnd()}`).join('\n\n')}\n`;
}

function renderTypes(taskTypes: readonly string[], sinkTypes: readonly string[]): string {
  if (taskTypes.length === 0) return 'The queue accepts no task types.';
  const lines = [`The queue accepts these task types: ${taskTypes.map(inlineCode).join(', ')}.`];
  if (sinkTypes.length > 0) lines.push(`Sinks, which must depend on every other task: ${sinkTypes.map(inlineCode).join(', ')}.`);
  return lines.join('\n');
}

const HEADER = `# Orchestrator: plan this run

You are the orchestrator of a drover run. You do not do the work: you plan it and seed the queue with \`enqueue_task\`. Each task then runs as a fresh agent that knows only its task input, its prompt and the handoffs of the tasks before it.

- Each \`enqueue_task\` call returns the new task's id; list ids in \`dependsOn\` to order tasks. Tasks whose dependencies are met run in parallel, so add an edge only where a task needs another's result.
- Give each task a short action label ("Install the SDK"), without file or class names, and put what it needs to know in \`inputs\`.
- A sink task must depend on every other task, directly or through others: enqueue it last.
- You are not a task: do not call \`complete_task\`, and do not edit the project.`;
