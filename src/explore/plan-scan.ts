import { pathRoles, type FileRole, type RoleContext } from './path-roles.js';
import { isTestPath, sourceLanguage, type SourceLanguage } from './source-language.js';

export interface ScanPlan {
  /** Roles known from paths alone. */
  readonly roles: Map<string, FileRole[]>;
  /** Source files to read, most promising first, each tier in walk order. */
  readonly queue: Array<readonly [string, SourceLanguage]>;
}

/** A path segment or word that suggests LLM code: `lib/llm.ts`, `server/ai/chat.py`, `agents/`. */
const LLM_HINT_PATH = /(?:^|[/_.-])(?:llm|ai|openai|anthropic|gpt|claude|gemini|chat|chatbot|agents?|prompts?|rag|embeddings?|completions?|assistant)(?:[/_.-]|$)/i;
/** Component files: they render UI and rarely call an SDK themselves. */
const UI_FILE = /\.(?:jsx|tsx|vue|svelte|astro)$/;

/**
 * Assigns path roles and orders the reads so that a time-budget cut on a large repository drops
 * the least useful files. The tiers are: files that match a framework convention (routes,
 * pages, entry points: the plan depends on them); files whose path suggests LLM code; other
 * modules (services, helpers, server code); and UI components last.
 */
export function planScan(files: readonly string[], ctx: RoleContext): ScanPlan {
  const roles = new Map<string, FileRole[]>();
  const tiers: Array<Array<readonly [string, SourceLanguage]>> = [[], [], [], []];
  for (const file of files) {
    if (isTestPath(file)) continue;
    const found = pathRoles(file, ctx);
    if (found.length > 0) roles.set(file, found);
    const language = sourceLanguage(file);
    if (language === null) continue;
    const tier = found.length > 0 ? 0 : LLM_HINT_PATH.test(file) ? 1 : UI_FILE.test(file) ? 3 : 2;
    tiers[tier]?.push([file, language]);
  }
  return { roles, queue: tiers.flat() };
}
