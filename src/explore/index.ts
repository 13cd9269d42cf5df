export { exploreRepo, DEFAULT_EXPLORE_BUDGET_MS, DEFAULT_MAX_FILE_BYTES, type ExploreOptions } from './explore-repo.js';
export type { Exploration, LlmCall } from './exploration.js';
export { LLM_PROVIDERS, type LlmProvider } from './llm-provider.js';
export type { FileRole } from './path-roles.js';
