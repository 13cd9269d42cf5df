/**
 * LLM SDK families, named after the PostHog LLM-analytics integration that would wrap them
 * (one wrapper for the OpenAI SDK, one for the Vercel AI SDK, a LangChain callback, ...), so a
 * task can be planned per family rather than per package.
 */
export const LLM_PROVIDERS = [
  'openai',
  'anthropic',
  'vercel-ai',
  'langchain',
  'llamaindex',
  'google',
  'cohere',
  'mistral',
  'groq',
  'ollama',
  'aws-bedrock',
  'together',
  'replicate',
  'huggingface',
  'openrouter',
  'litellm',
  'pydantic-ai',
  'ruby-llm',
  'prism',
] as const;

export type LlmProvider = (typeof LLM_PROVIDERS)[number];

/** npm packages by exact name; a name also covers its subpaths (`openai/resources`). */
const JS_PACKAGES: ReadonlyMap<string, LlmProvider> = new Map<string, LlmProvider>([
  ['openai', 'openai'],
  ['@azure/openai', 'openai'],
  ['ai', 'vercel-ai'],
  ['langchain', 'langchain'],
  ['llamaindex', 'llamaindex'],
  ['@google/generative-ai', 'google'],
  ['@google/genai', 'google'],
  ['@google-cloud/vertexai', 'google'],
  ['cohere-ai', 'cohere'],
  ['@mistralai/mistralai', 'mistral'],
  ['groq-sdk', 'groq'],
  ['ollama', 'ollama'],
  ['@aws-sdk/client-bedrock-runtime', 'aws-bedrock'],
  ['together-ai', 'together'],
  ['replicate', 'replicate'],
  ['@huggingface/inference', 'huggingface'],
]);

/** npm scopes whose every package is an LLM SDK. */
const JS_SCOPES: ReadonlyMap<string, LlmProvider> = new Map<string, LlmProvider>([
  ['@anthropic-ai', 'anthropic'],
  ['@ai-sdk', 'vercel-ai'],
  ['@langchain', 'langchain'],
  ['@llamaindex', 'llamaindex'],
  ['@openrouter', 'openrouter'],
]);

/** The npm package a module specifier names (`@ai-sdk/openai/internal` → `@ai-sdk/openai`), or `null` for a relative path. */
export function jsPackageName(specifier: string): string | null {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.includes(':')) return null;
  const parts = specifier.split('/');
  if (specifier.startsWith('@')) return parts.length >= 2 ? `${parts[0] ?? ''}/${parts[1] ?? ''}` : null;
  return parts[0] ?? null;
}

export function jsLlmProvider(packageName: string): LlmProvider | null {
  const exact = JS_PACKAGES.get(packageName);
  if (exact !== undefined) return exact;
  const scope = packageName.startsWith('@') ? packageName.slice(0, packageName.indexOf('/')) : '';
  return JS_SCOPES.get(scope) ?? null;
}

/**
 * A cheap test run on every file before the import parser: does any quoted string start with
 * one of the names above? Built from the tables so the two cannot drift apart.
 */
export const JS_LLM_HINT = new RegExp(
  `['"](?:${[...[...JS_PACKAGES.keys()].map((name) => `${escape(name)}(?:['"/])`), ...[...JS_SCOPES.keys()].map((scope) => `${escape(scope)}/`)].join('|')})`,
);

/** Python top-level modules (a `google` submodule is matched on its first two segments). */
const PYTHON_MODULES: ReadonlyMap<string, LlmProvider> = new Map<string, LlmProvider>([
  ['openai', 'openai'],
  ['anthropic', 'anthropic'],
  ['langchain', 'langchain'],
  ['langgraph', 'langchain'],
  ['llama_index', 'llamaindex'],
  ['google.generativeai', 'google'],
  ['google.genai', 'google'],
  ['vertexai', 'google'],
  ['cohere', 'cohere'],
  ['mistralai', 'mistral'],
  ['groq', 'groq'],
  ['ollama', 'ollama'],
  ['together', 'together'],
  ['replicate', 'replicate'],
  ['litellm', 'litellm'],
  ['pydantic_ai', 'pydantic-ai'],
]);

/**
 * The module to report for a Python import path, and its provider: `langchain_openai.chat` →
 * `langchain_openai` (every `langchain_*` partner package is LangChain), `google.genai.types` →
 * `google.genai`.
 */
export function pythonLlmModule(path: string): { module: string; provider: LlmProvider } | null {
  const segments = path.split('.');
  const top = segments[0] ?? '';
  if (top === 'google') {
    const module = segments.slice(0, 2).join('.');
    const provider = PYTHON_MODULES.get(module);
    return provider === undefined ? null : { module, provider };
  }
  const provider = PYTHON_MODULES.get(top) ?? (top.startsWith('langchain_') ? 'langchain' : undefined);
  return provider === undefined ? null : { module: top, provider };
}

export const PYTHON_LLM_HINT = /\b(?:openai|anthropic|langchain\w*|langgraph|llama_index|google|vertexai|cohere|mistralai|groq|ollama|together|replicate|litellm|pydantic_ai)\b/;

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
