import type { Task } from '../queue/task.js';
import type { AgentPrompt } from './parse-agent-prompt.js';
import type { Skill } from './parse-skill.js';
import { oneLine } from './markdown-text.js';
import { nestHeadings } from './nest-headings.js';
import { renderInputs } from './render-inputs.js';
import { renderSkills } from './render-skills.js';
import { renderToolsSection } from './render-tools-section.js';
import { renderUpstreamHandoff, type UpstreamHandoff } from './render-upstream-handoff.js';
import { toolsAllowedFor } from './tools-allowed-for.js';

export { toolsAllowedFor } from './tools-allowed-for.js';
export type { UpstreamHandoff } from './render-upstream-handoff.js';

export interface AssemblePromptInput {
  /** The task as started: `attempts` already counts this attempt. */
  readonly task: Pick<Task, 'id' | 'type' | 'label' | 'inputs' | 'attempts' | 'maxAttempts' | 'error'>;
  /** The prompt the resolver picked for the task's type. */
  readonly prompt: AgentPrompt;
  /** The prompt's skills, in its order (`skillsFor(library, prompt)`). */
  readonly skills: readonly Skill[];
  /** Every transitive ancestor that left a handoff, roots first, each once. */
  readonly upstream: readonly UpstreamHandoff[];
  /** The enqueueable types, listed beside `enqueue_task` when the task may call it. */
  readonly taskTypes?: readonly string[];
}

/**
 * Builds the whole markdown a fresh task agent receives: who it is, its input, the prompt body,
 * the skills, the handoffs of all its ancestors, its tools and how to finish. Pure and
 * deterministic (no clock, no I/O), so the same task renders the same bytes and snapshots hold.
 */
export function assemblePrompt(input: AssemblePromptInput): string {
  const { task, prompt } = input;
  const tools = toolsAllowedFor(prompt);
  const sections: [string, string][] = [
    ['Your task input', renderInputs(task.inputs)],
    ['Instructions', nestHeadings(prompt.body, 3)],
  ];
  if (input.skills.length > 0) sections.push(['Skills', renderSkills(input.skills)]);
  sections.push(['Context from previous steps', renderContext(input.upstream, tools.includes('read_handoffs'))]);
  sections.push(['Tools', renderToolsSection(prompt, tools, input.taskTypes)]);
  if (tools.includes('complete_task')) sections.push(['When you are done', FINISH]);
  return `${renderHeader(task)}\n\n${sections.map(([title, body]) => `## ${title}\n\n${body.trimEnd()}`).join('\n\n')}\n`;
}

function renderHeader(task: AssemblePromptInput['task']): string {
  const lines = [
    `# Task: ${oneLine(task.label) || task.type}`,
    '',
    'You are one step of a larger drover run, started as a fresh agent with no memory of the steps before you: this prompt is all you know. Stay strictly on this task and leave other work to later steps.',
    '',
    `- task id: \`${task.id}\``,
    `- type: \`${task.type}\``,
    `- attempt: ${task.attempts} of ${task.maxAttempts}`,
  ];
  if (task.attempts > 1) {
    const how = task.error === undefined ? 'did not finish' : `ended with ${task.error.kind}: ${oneLine(task.error.message)}`;
    lines.push('', `This is a retry: the previous attempt ${how}. It may already have changed files, so read them before you edit and do not repeat work that is done.`);
  }
  return lines.join('\n');
}

function renderContext(upstream: readonly UpstreamHandoff[], canRead: boolean): string {
  // Diamonds reach an ancestor twice; callers should list it once, and a repeat is dropped if not. With a set, not a
  // search per entry: a task deep in a large run has thousands of ancestors, and each attempt's prompt lists them all.
  const seen = new Set<string>();
  const unique = upstream.filter((entry) => !seen.has(entry.task.id) && seen.add(entry.task.id) !== undefined);
  if (unique.length === 0) return 'None: no step comes before this one.';
  const intro =
    'The handoffs of every step this task depends on, directly or through others, oldest first. Trust them; do not redo or re-verify their work.' +
    (canRead ? ' `read_handoffs` returns the same handoffs as JSON.' : '');
  return [intro, ...unique.map(renderUpstreamHandoff)].join('\n\n');
}

const FINISH = `Call \`complete_task\` exactly once, as your last action:

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

\`goal\`, \`did\` and \`forNextAgent\` are required; leave out the fields you have nothing for. The next agent knows nothing but what you write, so write for a stranger.`;
