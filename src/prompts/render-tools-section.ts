import type { AgentPrompt } from './parse-agent-prompt.js';
import { bareToolName, isQueueTool, type QueueToolName } from './queue-tools.js';
import { inlineCode } from './markdown-text.js';

const DESCRIPTIONS: Record<QueueToolName, string> = {
  enqueue_task:
    '`enqueue_task` `{type, label?, inputs?, dependsOn?, reason}` → `{id}`: add a task to the queue. `dependsOn` takes task ids (each call returns one); `label` is a short action in a few words; `reason` is one line on why.',
  complete_task: '`complete_task` `{status, handoff}`: report this task\'s result, exactly once, as your last action (see below).',
  read_handoffs: '`read_handoffs` `{taskId?, type?}`: the handoffs of finished tasks, as JSON.',
};

/** The `## Tools` body: the queue tools this prompt may call, what else it may or may not use. */
export function renderToolsSection(prompt: AgentPrompt, tools: readonly QueueToolName[], taskTypes: readonly string[] | undefined): string {
  const parts: string[] = [];
  if (tools.length === 0) {
    parts.push('You have no drover tools.');
  } else {
    const lines = tools.map((tool) => {
      const types = tool === 'enqueue_task' && taskTypes !== undefined && taskTypes.length > 0 ? ` Task types: ${taskTypes.map(inlineCode).join(', ')}.` : '';
      return `- ${DESCRIPTIONS[tool]}${types}`;
    });
    const rest = tools.includes('complete_task') ? ' Work they cannot do belongs in your handoff, for a later step.' : '';
    parts.push(`These are your drover tools; there are no others.${rest}\n\n${lines.join('\n')}`);
  }
  const others = (list: readonly string[]) => list.filter((tool) => !isQueueTool(bareToolName(tool)));
  const allowed = others(prompt.allowedTools);
  const denied = others(prompt.disallowedTools);
  const limits: string[] = [];
  if (allowed.length > 0) limits.push(`Other tools for this step: ${allowed.join(', ')}.`);
  if (denied.length > 0) limits.push(`Do not use: ${denied.join(', ')}.`);
  if (limits.length > 0) parts.push(limits.join('\n'));
  return parts.join('\n\n');
}
