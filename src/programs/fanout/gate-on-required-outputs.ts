import type { AgentRuntime } from '../../agents/agent-runtime.js';
import { FANOUT_TASK_TYPE, MISSING_OUTPUT_MARK } from '../../bridge/fanout-queue-bridge.js';
import type { Handoff } from '../../queue/handoff.js';

/**
 * Wraps the run's agent so a fanout task whose required upstream output is missing is not run
 * blind: before the agent starts, each task it depends on (its request's `depends_on`, in order)
 * must have finished `done` with a handoff. A `skipped` upstream (nothing to hand on, or itself
 * not run) makes the task complete as `skipped` with the reason, without starting an agent; its
 * record then says `cancelled`. (A failed upstream never gets here: the queue blocks its dependents.)
 */
export function gateOnRequiredOutputs(agent: AgentRuntime): AgentRuntime {
  return {
    name: agent.name,
    async run(task, context, signal) {
      if (task.type !== FANOUT_TASK_TYPE || task.dependsOn.length === 0) return agent.run(task, context, signal);
      const request = task.inputs['request'] as { depends_on?: unknown } | undefined;
      const names = Array.isArray(request?.depends_on) ? request.depends_on.map(String) : [];
      const missing: string[] = [];
      for (const [position, upstream] of task.dependsOn.entries()) {
        const read = await context.tools.read_handoffs({ taskId: upstream });
        if (!read.ok) return agent.run(task, context, signal);
        const handoff: Handoff | undefined = read.value[0];
        if (handoff?.status !== 'done') missing.push(`${names[position] ?? upstream} (${handoff === undefined ? 'no handoff' : handoff.status})`);
      }
      if (missing.length === 0) return agent.run(task, context, signal);
      const reason = `the required output of ${missing.join(', ')} is missing`;
      context.report(`not run: ${reason}`);
      await context.tools.complete_task({
        status: 'skipped',
        handoff: { goal: `Task request ${String(task.inputs['requestId'])} of the fanout plan`, did: `${MISSING_OUTPUT_MARK}${reason}`, forNextAgent: 'Run the plan again once the upstream requests produce their output.' },
      });
    },
  };
}
