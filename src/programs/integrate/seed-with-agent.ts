import type { AgentRuntime } from '../../agents/agent-runtime.js';
import { DroverError } from '../../errors/drover-error.js';
import type { Exploration } from '../../explore/exploration.js';
import type { Detected } from '../../queue/events.js';
import type { Task } from '../../queue/task.js';
import { assembleSeedPrompt } from '../../prompts/assemble-seed-prompt.js';
import { skillsFor } from '../../prompts/build-prompt-library.js';
import type { McpEndpoint } from '../../tools/mcp/mcp-endpoint.js';
import type { SeedOperations } from '../../tools/seed-operations.js';
import { createToolSession } from '../../tools/tool-session.js';
import { stateDirWorkspace, type Workspace } from '../../workspace/index.js';
import type { AttemptWorkspace } from '../../workspace/workspace.js';
import type { ProgramPrompts } from '../prepare-task.js';
import { boundedListInput } from './bounded-list-input.js';

export interface SeedWithAgentOptions {
  readonly agent: AgentRuntime;
  readonly library: ProgramPrompts;
  readonly installDir: string;
  readonly stateDir: string;
  readonly exploration: Exploration;
  /** The run's detection result and start time (from its first event). */
  readonly detected: Detected;
  readonly createdAt: string;
  readonly signal?: AbortSignal;
  readonly mcp?: McpEndpoint;
  /** The seed attempt's workspace (the seed task's); default the state dir's `seed` attempt. */
  readonly workspace?: AttemptWorkspace;
  /** Stores the assembled prompt with the run's backend (`drover status --task seed` on --store). */
  readonly savePrompt?: (text: string) => Promise<void>;
}

/**
 * `--seed agent`: the seed prompt (with what detection and exploration found) goes to the
 * configured agent, which plans the graph itself through `enqueue_task`. Its tools act as the
 * orchestrator and may only enqueue and read. It runs as the attempt of the run's seed task
 * (its log, process group record and stop are that attempt's); the task is reported done for it.
 */
export async function seedWithAgent(queue: SeedOperations, options: SeedWithAgentOptions): Promise<void> {
  const { resolver, library } = options.library;
  const seed = resolver.seed;
  if (seed === undefined) throw new DroverError('input-invalid', 'the prompt library has no seed prompt (a prompt with `seed: true`), so --seed agent cannot run');
  const { detected } = options;
  const workspace = stateDirWorkspace(options.stateDir);
  const attempt = options.workspace ?? workspace.attempt('seed');
  const appDir = detected.appDir;
  const inputs = { framework: detected.framework, packageManager: detected.packageManager, ...(appDir !== undefined && appDir !== '.' ? { appDir } : {}), ...(await explorationInputs(options.exploration, workspace)) };
  const prompt = assembleSeedPrompt({ prompt: seed, inputs, skills: skillsFor(library, seed), taskTypes: resolver.taskTypes, sinkTypes: resolver.sinkTypes });
  const promptFile = await attempt.writePrompt(prompt);
  await options.savePrompt?.(prompt);
  const task: Task = { id: 'seed', type: 'seed', label: seed.label ?? 'Plan the run', status: 'running', dependsOn: [], inputs, attempts: 1, maxAttempts: 1, enqueuedBy: 'orchestrator', depth: 0, optional: false, createdAt: options.createdAt };
  const tools = createToolSession(queue, { kind: 'orchestrator' }, ['enqueue_task', 'read_handoffs']);
  const grant = options.mcp?.grant(tools);
  try {
    const mcp = grant === undefined ? {} : { mcp: { url: grant.url, token: grant.token } };
    await options.agent.run(task, { attempt: 1, tools, prompt, promptFile, installDir: options.installDir, stateDir: options.stateDir, workspace: attempt, report: () => {}, ...mcp }, options.signal ?? new AbortController().signal);
  } finally {
    grant?.revoke();
  }
  // A seed agent that enqueued nothing is not an internal error: the run ends failed, saying no task was enqueued.
}

async function explorationInputs(exploration: Exploration, workspace: Workspace): Promise<Record<string, unknown>> {
  const llm = await boundedListInput(workspace, 'llm-calls', exploration.llmCalls.map((call) => `${call.file}:${call.line} (${call.module})`));
  return {
    entryPoints: exploration.entryPoints.slice(0, 40),
    pages: exploration.pages.slice(0, 40),
    apiRoutes: exploration.apiRoutes.slice(0, 40),
    llmCalls: llm.listed,
    llmCallCount: llm.total,
    ...(llm.file !== null ? { llmCallsFile: llm.file } : {}),
  };
}
