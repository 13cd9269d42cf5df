import type { AgentRuntime } from '../agents/agent-runtime.js';
import { DroverError } from '../errors/drover-error.js';
import type { EnqueueRequest } from '../queue/decide-enqueue.js';
import type { Detected } from '../queue/events.js';
import { isSeedTask, seederOf, seedTaskRequest } from '../queue/seed-task.js';
import type { Task } from '../queue/task.js';
import type { PreparedTask } from '../runner/prepared-task.js';
import type { McpEndpoint } from '../tools/mcp/mcp-endpoint.js';
import type { SeedOperations } from '../tools/seed-operations.js';
import type { ProgramDefinition } from './run-session.js';

/** The seed task of a program's new run: its seeder (the program's name, unless it says otherwise) and what the seed step needs to know. */
export function programSeedTask(program: ProgramDefinition, detected: Detected): EnqueueRequest {
  return seedTaskRequest(program.seeder ?? program.name, { ...program.seedInputs?.(), detected });
}

/**
 * A seed task's attempt is prepared with no prompt of the library (the seed step assembles its
 * own, when it has an agent) and may only report its result; the seeder's own enqueues go through
 * the orchestrator's operations. Any other task is prepared by `prepare`.
 */
export function withSeedPreparer<R extends unknown[]>(prepare: (task: Task, ...rest: R) => Promise<PreparedTask>): (task: Task, ...rest: R) => Promise<PreparedTask> {
  return async (task, ...rest) => (isSeedTask(task) ? { prompt: '', allowedTools: ['complete_task'] } : prepare(task, ...rest));
}

export interface SeedStepOptions {
  /** The seed steps this process has, by seeder name (a `ProgramDefinition`'s `seed`). */
  readonly seeders: ReadonlyMap<string, ProgramDefinition['seed']>;
  /** The orchestrator's operations on a run: the seed step's enqueues are the orchestrator's, as before the seed was a task. */
  readonly operations: (runId: string) => SeedOperations;
  /** Where a seed agent gets its own enqueue-only token. */
  readonly mcp?: McpEndpoint | undefined;
  /** Stores the seed attempt's prompt with the backend (a seed agent's, once assembled), as the worker does for other tasks. */
  readonly savePrompt?: ((runId: string, attempt: number, text: string) => Promise<void>) | undefined;
}

/**
 * Wraps the run's agent so the attempt of a seed task runs the program's seed step (the
 * deterministic planner, or the seed agent), and then reports the task done, which marks the run
 * seeded. Stopped (Ctrl-C, a dashboard cancel, a lost lease), it reports nothing: the worker gives
 * the attempt back, and the next attempt re-seeds, reusing every task already enqueued (live
 * twins). A seed step that throws fails the attempt with its message; the last failed attempt
 * fails the run with it. Every other task goes to `agent`.
 */
export function withSeedStep(agent: AgentRuntime, options: SeedStepOptions): AgentRuntime {
  return {
    name: agent.name,
    async run(task: Task, context, signal) {
      if (!isSeedTask(task)) return agent.run(task, context, signal);
      const name = seederOf(task)!;
      const seed = options.seeders.get(name);
      // The claim filter keeps seed tasks from workers without their seeder, so this is a bug if it happens.
      if (seed === undefined) throw new DroverError('internal', `this worker has no seeder "${name}" for the seed task`);
      const runId = context.runId;
      if (runId === undefined) throw new DroverError('internal', 'a seed task ran without its run id');
      const detected = (task.inputs['detected'] as Detected | undefined) ?? { framework: null, packageManager: null };
      const operations = options.operations(runId);
      await seed(operations, {
        installDir: context.installDir,
        stateDir: context.stateDir,
        detected,
        createdAt: task.createdAt,
        mcp: options.mcp,
        signal,
        workspace: context.workspace,
        inputs: task.inputs,
        report: (line) => context.report(line),
        ...(options.savePrompt !== undefined ? { savePrompt: (text: string) => options.savePrompt!(runId, context.attempt, text) } : {}),
      });
      // Stopped while seeding: nothing is reported; the attempt is given back and the seed runs again.
      if (signal.aborted) return;
      const reported = await context.tools.complete_task({ status: 'done', handoff: { goal: task.label, did: 'Enqueued the initial task graph.', forNextAgent: 'The seed step is done; the tasks it enqueued carry the work.' } });
      if (!reported.ok) throw new DroverError('internal', `the seed task could not report its result: ${reported.message}`);
    },
  };
}
