import { InputError } from '../errors/input-error.js';
import type { PromptLibrary } from './build-prompt-library.js';
import type { AgentPrompt } from './parse-agent-prompt.js';

/**
 * How task types map to prompts. Without `fallback`, a type runs only on the prompt that declares
 * it. With `fallback` (the name of a `fallback: true` prompt):
 * - `fallbackFor: 'missing'` (default): a type with no prompt of its own runs on the fallback;
 * - `fallbackFor: 'all'`: every type runs on it, the walking skeleton's stub mode;
 * - `allowUnknownTypes: true`: agents may also enqueue types no prompt declares.
 */
export type PromptResolverOptions =
  | { readonly fallback?: never }
  | { readonly fallback: string; readonly fallbackFor?: 'missing' | 'all'; readonly allowUnknownTypes?: boolean };

export interface PromptResolver {
  /** The prompt a task of this type runs on. Throws an `InputError` when neither a prompt nor a fallback covers it. */
  resolve(type: string): AgentPrompt;
  /** Whether `enqueue_task` may accept this type: a declared task type, or anything when `allowUnknownTypes` is on. */
  accepts(type: string): boolean;
  /** The enqueueable types the library declares (every prompt but the seed and fallbacks), sorted. */
  readonly taskTypes: readonly string[];
  /** The declared types with `sink: true`, sorted. */
  readonly sinkTypes: readonly string[];
  /** The declared types' write scopes (frontmatter `writes`), for types that have one. */
  readonly writeScopes: ReadonlyMap<string, readonly string[]>;
  /** Whether `accepts` takes types outside `taskTypes`. */
  readonly allowsUnknownTypes: boolean;
  /** The seed prompt, if the library has one. */
  readonly seed: AgentPrompt | undefined;
}

/**
 * Builds the type → prompt resolver. The known types are the same in stub mode and with real
 * agents, because the bundled library ships a prompt for every type the seed catalogs: stub mode
 * changes what runs, never what may be enqueued. So a typo in a type is refused in both.
 */
export function createPromptResolver(library: PromptLibrary, options: PromptResolverOptions = {}): PromptResolver {
  const byType = new Map<string, AgentPrompt>();
  for (const prompt of library.prompts) if (!prompt.seed && !prompt.fallback) byType.set(prompt.type, prompt);
  const taskTypes = [...byType.keys()].sort();
  const sinkTypes = taskTypes.filter((type) => byType.get(type)?.sink === true);
  const writeScopes = new Map(taskTypes.flatMap((type) => {
    const writes = byType.get(type)?.writes ?? [];
    return writes.length > 0 ? [[type, writes] as const] : [];
  }));
  const fallback = options.fallback === undefined ? undefined : findFallback(library, options.fallback);
  const fallbackForAll = options.fallback !== undefined && options.fallbackFor === 'all';
  const allowsUnknownTypes = options.fallback !== undefined && options.allowUnknownTypes === true;
  return {
    resolve(type) {
      const own = fallbackForAll ? undefined : byType.get(type);
      const prompt = own ?? fallback;
      if (prompt === undefined) throw new InputError(`no prompt for task type "${type}" (known types: ${taskTypes.join(', ') || 'none'})`);
      return prompt;
    },
    accepts: (type) => byType.has(type) || allowsUnknownTypes,
    taskTypes,
    sinkTypes,
    writeScopes,
    allowsUnknownTypes,
    seed: library.seed,
  };
}

function findFallback(library: PromptLibrary, name: string): AgentPrompt {
  const prompt = library.prompts.find((candidate) => candidate.name === name);
  if (prompt?.fallback === true) return prompt;
  const fallbacks = library.prompts.filter((candidate) => candidate.fallback).map((candidate) => candidate.name);
  const why = prompt === undefined ? `no prompt named "${name}"` : `prompt "${name}" (${prompt.file}) is not marked \`fallback: true\``;
  throw new InputError(`${why}; fallback prompts: ${fallbacks.join(', ') || 'none'}`);
}
