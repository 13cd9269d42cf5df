import type { AgentPrompt } from './parse-agent-prompt.js';
import { bareToolName, isQueueTool, QUEUE_TOOLS, type QueueToolName } from './queue-tools.js';

/**
 * The queue tools an agent running this prompt may call, in `QUEUE_TOOLS` order.
 *
 * - `allowedTools` restricts the queue tools only when it names at least one of them; a list of
 *   just the agent's own tools (`Read`, `Grep`) leaves all three allowed, so that limiting file
 *   access cannot accidentally take away `complete_task`.
 * - `disallowedTools` always removes.
 * - The seed agent never gets `complete_task`: it plans as the orchestrator, and the seed step
 *   reports the seed task itself once the agent has ended.
 */
export function toolsAllowedFor(prompt: Pick<AgentPrompt, 'allowedTools' | 'disallowedTools' | 'seed'>): QueueToolName[] {
  const allowed = new Set(prompt.allowedTools.map(bareToolName).filter(isQueueTool));
  const denied = new Set(prompt.disallowedTools.map(bareToolName));
  return QUEUE_TOOLS.filter((tool) => (allowed.size === 0 || allowed.has(tool)) && !denied.has(tool) && !(prompt.seed && tool === 'complete_task'));
}
