import { lineAt } from './line-at.js';
import { firstPerModule, type LlmImport } from './llm-import.js';
import { PYTHON_LLM_HINT, pythonLlmModule } from './llm-provider.js';

/**
 * LLM SDK imports in Python: `import openai`, `import google.generativeai as genai`,
 * `from anthropic import Anthropic`, `from google import genai`, `from langchain_openai import
 * ChatOpenAI`, including imports indented inside a function. Relative imports are ignored.
 */
const FROM_IMPORT = /^[ \t]*from[ \t]+([A-Za-z_][\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#]*)/gm;
const PLAIN_IMPORT = /^[ \t]*import[ \t]+([^\n#;]+)/gm;

export function findPythonLlmImports(text: string): LlmImport[] {
  if (!PYTHON_LLM_HINT.test(text)) return [];
  const found: LlmImport[] = [];
  const add = (path: string, offset: number): void => {
    const hit = pythonLlmModule(path);
    if (hit !== null) found.push({ line: lineAt(text, offset), ...hit });
  };
  for (const match of text.matchAll(FROM_IMPORT)) {
    const from = match[1] ?? '';
    if (from === 'google') {
      for (const name of importedNames(match[2] ?? '')) add(`google.${name}`, match.index);
    } else {
      add(from, match.index);
    }
  }
  for (const match of text.matchAll(PLAIN_IMPORT)) {
    for (const name of importedNames(match[1] ?? '')) add(name, match.index);
  }
  return firstPerModule(found);
}

/** `(a as b,\n c)` → `['a', 'c']`. */
function importedNames(list: string): string[] {
  return list
    .replace(/[()\\]/g, ' ')
    .split(',')
    .map((part) => part.trim().split(/\s+/)[0] ?? '')
    .filter((name) => /^[A-Za-z_][\w.]*$/.test(name));
}
