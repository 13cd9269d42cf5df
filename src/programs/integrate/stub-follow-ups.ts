import type { Task } from '../../queue/task.js';

/**
 * What the stub agent enqueues while it stands in for a task, so the walking skeleton
 * exercises dynamic enqueue the way a real `plan` agent would (see prompts/stub.md): a `plan`
 * task that was given LLM calls adds an `llm-analytics` task that waits for it and for setup.
 */
export function stubFollowUps(task: Task): Array<{ type: string; label: string; inputs: Record<string, unknown>; dependsOn: string[]; reason: string }> {
  if (task.type !== 'plan') return [];
  const llmCalls = Array.isArray(task.inputs.llmCalls) ? task.inputs.llmCalls : [];
  if (llmCalls.length === 0) return [];
  const setup = Array.isArray(task.inputs.setupTaskIds) ? task.inputs.setupTaskIds.filter((id): id is string => typeof id === 'string') : [];
  return [{ type: 'llm-analytics', label: 'Track the LLM calls', inputs: { llmCalls }, dependsOn: [task.id, ...setup], reason: `the plan found ${llmCalls.length} LLM call(s)` }];
}
