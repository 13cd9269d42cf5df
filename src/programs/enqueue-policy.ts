import type { EnqueuePolicy } from '../queue/decide-enqueue.js';
import { DEFAULT_LIMITS, DEFAULT_MAX_ATTEMPTS, type QueueLimits } from '../queue/limits.js';
import type { ProgramPrompts } from './prepare-task.js';

/** The guards every enqueue of a program's run is held to: its task types and sinks, write scopes, limits, attempts. */
export function enqueuePolicy(prompts: ProgramPrompts, options: { readonly limits?: Partial<QueueLimits> | undefined; readonly maxAttempts?: number | undefined } = {}): EnqueuePolicy {
  const { resolver } = prompts;
  return {
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    taskTypes: resolver.allowsUnknownTypes ? null : new Set(resolver.taskTypes),
    sinkTypes: new Set(resolver.sinkTypes),
    writeScopes: resolver.writeScopes,
    defaultMaxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
  };
}
