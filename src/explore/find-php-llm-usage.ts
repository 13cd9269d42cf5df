import { lineAt } from './line-at.js';
import { firstPerModule, type LlmImport } from './llm-import.js';
import type { LlmProvider } from './llm-provider.js';

/**
 * LLM SDK use in PHP: a `use` of the SDK's namespace (openai-php/client and its Laravel facade,
 * the Anthropic SDK, Prism) or a call to the OpenAI client factory. `module` is the Composer
 * package.
 */
const USAGE: ReadonlyArray<readonly [RegExp, string, LlmProvider]> = [
  [/^[ \t]*use[ \t]+\\?OpenAI\b|\bOpenAI::(?:client|factory)\(/m, 'openai-php/client', 'openai'],
  [/^[ \t]*use[ \t]+\\?Anthropic\\/m, 'anthropic-ai/sdk', 'anthropic'],
  [/^[ \t]*use[ \t]+\\?(?:Prism\\Prism|EchoLabs\\Prism)\b/m, 'prism-php/prism', 'prism'],
];

export function findPhpLlmUsage(text: string): LlmImport[] {
  const found: LlmImport[] = [];
  for (const [pattern, module, provider] of USAGE) {
    const match = pattern.exec(text);
    if (match !== null) found.push({ line: lineAt(text, match.index), module, provider });
  }
  return firstPerModule(found);
}
