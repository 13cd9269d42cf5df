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
  // Passed on as the plan got them: the listed calls, the total, and the file with all of them.
  const total = typeof task.inputs.llmCallCount === 'number' ? task.inputs.llmCallCount : llmCalls.length;
  const file = typeof task.inputs.llmCallsFile === 'string' ? { llmCallsFile: task.inputs.llmCallsFile } : {};
  return [{ type: 'llm-analytics', label: 'Track the LLM calls', inputs: { llmCalls, llmCallCount: total, ...file }, dependsOn: [task.id, ...setup], reason: `the plan found ${total} LLM call(s)` }];
}
