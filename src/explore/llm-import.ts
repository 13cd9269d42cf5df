import type { LlmProvider } from './llm-provider.js';

/** One LLM SDK a file brings in: where (1-based line of the statement), which package, which family. */
export interface LlmImport {
  readonly line: number;
  readonly module: string;
  readonly provider: LlmProvider;
}

/** Keeps the first line per module, so a file that imports `openai` twice is one finding. */
export function firstPerModule(found: readonly LlmImport[]): LlmImport[] {
  const byModule = new Map<string, LlmImport>();
  for (const item of found) {
    const seen = byModule.get(item.module);
    if (seen === undefined || item.line < seen.line) byModule.set(item.module, item);
  }
  return [...byModule.values()].sort((a, b) => a.line - b.line || (a.module < b.module ? -1 : a.module > b.module ? 1 : 0));
}
