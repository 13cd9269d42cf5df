import type { Task } from '../queue/task.js';
import type { AgentContext, AgentRuntime } from './agent-runtime.js';

/** An agent made from a function, for library users and tests. */
export function functionAgent(run: (task: Task, context: AgentContext, signal: AbortSignal) => Promise<void>, name = 'function'): AgentRuntime {
  return { name, run };
}
