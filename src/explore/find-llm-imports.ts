import { findJsLlmImports } from './find-js-llm-imports.js';
import { findPhpLlmUsage } from './find-php-llm-usage.js';
import { findPythonLlmImports } from './find-python-llm-imports.js';
import { findRubyLlmUsage } from './find-ruby-llm-usage.js';
import type { LlmImport } from './llm-import.js';
import type { SourceLanguage } from './source-language.js';

export function findLlmImports(language: SourceLanguage, text: string): LlmImport[] {
  switch (language) {
    case 'js':
      return findJsLlmImports(text);
    case 'python':
      return findPythonLlmImports(text);
    case 'ruby':
      return findRubyLlmUsage(text);
    case 'php':
      return findPhpLlmUsage(text);
  }
}
