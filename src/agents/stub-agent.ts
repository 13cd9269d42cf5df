import type { Task } from '../queue/task.js';
import { sleepLong } from '../util/long-timeout.js';
import type { StateFs } from '../util/state-fs.js';
import type { AgentContext, AgentRuntime } from './agent-runtime.js';

export interface StubAgentOptions {
  /** How long each stub takes, so pacing, the live view and resume can be seen. */
  readonly delayMs?: number;
  /** Follow-up tasks a stub of a given type enqueues, proving dynamic enqueue by a running task. */
  readonly followUps?: (task: Task) => ReadonlyArray<{ type: string; label?: string; inputs?: Record<string, unknown>; dependsOn?: string[]; reason: string }>;
  /** Where the marker is written through (tests inject a full disk here). */
  readonly fs?: StateFs;
}

/**
 * The walking-skeleton agent: it proves the machinery without touching the user's project.
 * It writes `markers/<taskId>.json` in the state dir, optionally enqueues follow-ups, then
 * reports success through `complete_task` with a handoff describing the task it stubbed.
 */
export function stubAgent(options: StubAgentOptions = {}): AgentRuntime {
  return {
    name: 'stub',
    async run(task: Task, context: AgentContext, signal: AbortSignal): Promise<void> {
      context.report(`stub: starting ${task.label}`);
      if (options.delayMs !== undefined && options.delayMs > 0) await sleepLong(options.delayMs, signal);
      const marker = { taskId: task.id, type: task.type, attempt: context.attempt, ranAt: new Date().toISOString(), pid: process.pid };
      await context.workspace.writeMarker(`${JSON.stringify(marker, null, 2)}\n`, options.fs);
      const enqueued: string[] = [];
      for (const followUp of options.followUps?.(task) ?? []) {
        const result = await context.tools.enqueue_task(followUp);
        // `duplicate`: an earlier attempt (before a crash) already added it, so the work is in the queue.
        if (!result.ok && result.guard === 'duplicate') continue;
        if (!result.ok) {
          // Work the stub was meant to add was refused: the task fails where it can be seen, never silently.
          context.report(`stub: enqueue refused (${result.guard})`);
          const failed = await context.tools.complete_task({
            status: 'failed',
            handoff: {
              goal: `Stand in for the "${task.type}" task: ${task.label}.`,
              did: `Tried to enqueue a "${followUp.type}" task; it was refused (${result.guard}).`,
              forNextAgent: `The "${followUp.type}" follow-up was not added: ${result.message}`,
            },
          });
          if (!failed.ok) throw new Error(`enqueue of ${followUp.type} refused (${result.guard}): ${result.message}`);
          return;
        }
        enqueued.push(result.value.id);
        context.report(`stub: enqueued ${followUp.type} (${result.value.id})`);
      }
      const result = await context.tools.complete_task({
        status: 'done',
        handoff: {
          goal: `Stand in for the "${task.type}" task: ${task.label}.`,
          did: `Wrote the marker markers/${task.id}.json; made no change to the project.${enqueued.length > 0 ? ` Enqueued follow-up tasks: ${enqueued.join(', ')}.` : ''}`,
          forNextAgent: `The ${task.type} step is stubbed in this run; nothing in the project changed, so there is nothing to verify.`,
        },
      });
      if (!result.ok) throw new Error(`complete_task refused: ${result.message}`);
      context.report(`stub: finished ${task.label}`);
    },
  };
}
