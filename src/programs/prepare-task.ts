import type { StateFs } from '../util/state-fs.js';
import type { Workspace } from '../workspace/index.js';
import type { PreparedTask } from '../runner/prepared-task.js';
import type { Handoff } from '../queue/handoff.js';
import type { Task } from '../queue/task.js';
import { assemblePrompt } from '../prompts/assemble-prompt.js';
import { skillsFor, type PromptLibrary } from '../prompts/build-prompt-library.js';
import { loadPromptLibrary } from '../prompts/load-prompt-library.js';
import { createPromptResolver, type PromptResolver } from '../prompts/resolve-prompt.js';
import { toolsAllowedFor } from '../prompts/tools-allowed-for.js';
import { bareToolName, isQueueTool } from '../prompts/queue-tools.js';

export interface ProgramPrompts {
  readonly library: PromptLibrary;
  readonly resolver: PromptResolver;
}

/**
 * Loads a program's prompts: `dir` (default: the bundled `prompts/`), shadowed per file by
 * `--prompts DIR`; with `stub`, every type runs on the `stub` prompt.
 */
export async function loadProgramPrompts(options: { dir?: string; overrideDir?: string | undefined; stub?: boolean }): Promise<ProgramPrompts> {
  const library = await loadPromptLibrary({ ...(options.dir !== undefined ? { dir: options.dir } : {}), ...(options.overrideDir !== undefined ? { overrideDir: options.overrideDir } : {}) });
  const resolver = createPromptResolver(library, options.stub === true ? { fallback: 'stub', fallbackFor: 'all' } : {});
  return { library, resolver };
}

/**
 * Builds each attempt's prompt — task inputs, the type's prompt body, its mini-skills, and the
 * handoffs of every ancestor — saves it in the attempt's workspace (`prompts/<id>.md`), and derives which queue tools the
 * task may call from the prompt's frontmatter.
 */
export function createTaskPreparer(prompts: ProgramPrompts, workspace: Workspace, fs?: StateFs) {
  return async (task: Task, _attempt: number, upstream: ReadonlyArray<{ task: Task; handoff: Handoff }>): Promise<PreparedTask> => {
    const prompt = prompts.resolver.resolve(task.type);
    const text = assemblePrompt({ task, prompt, skills: skillsFor(prompts.library, prompt), upstream, taskTypes: prompts.resolver.taskTypes });
    const promptFile = await workspace.attempt(task.id).writePrompt(text, fs);
    const queueTools = toolsAllowedFor(prompt);
    const own = (tools: readonly string[]) => tools.filter((tool) => !isQueueTool(bareToolName(tool)));
    const hints = {
      allowedTools: own(prompt.allowedTools),
      disallowedTools: own(prompt.disallowedTools),
      queueTools,
      ...(prompt.model !== undefined ? { model: prompt.model } : {}),
      ...(prompt.effort !== undefined ? { effort: prompt.effort } : {}),
    };
    return { prompt: text, promptFile, allowedTools: queueTools, hints };
  };
}
