import { lineAt } from './line-at.js';
import { firstPerModule, type LlmImport } from './llm-import.js';
import type { LlmProvider } from './llm-provider.js';

/**
 * LLM SDK use in Ruby. Rails loads gems through Bundler, so there is usually no `require`; the
 * client constant (`OpenAI::Client.new`) is the signal, with an explicit `require` as a second.
 * `module` is the gem name.
 */
const USAGE: ReadonlyArray<readonly [RegExp, string, LlmProvider]> = [
  [/^[^#\n]*\bOpenAI::Client\b|^[ \t]*require[ \t(]*['"]openai['"]/m, 'openai', 'openai'],
  [/^[^#\n]*\bAnthropic::Client\b|^[ \t]*require[ \t(]*['"]anthropic['"]/m, 'anthropic', 'anthropic'],
  [/^[^#\n]*\bRubyLLM\.|^[ \t]*require[ \t(]*['"]ruby_llm['"]/m, 'ruby_llm', 'ruby-llm'],
  [/^[^#\n]*\bLangchain::LLM::|^[ \t]*require[ \t(]*['"]langchain['"]/m, 'langchainrb', 'langchain'],
];

export function findRubyLlmUsage(text: string): LlmImport[] {
  const found: LlmImport[] = [];
  for (const [pattern, module, provider] of USAGE) {
    const match = pattern.exec(text);
    if (match !== null) found.push({ line: lineAt(text, match.index), module, provider });
  }
  return firstPerModule(found);
}
