import { describe, expect, it } from 'vitest';
import { findJsLlmImports } from './find-js-llm-imports.js';

const modules = (text: string): Array<[number, string, string]> => findJsLlmImports(text).map((hit) => [hit.line, hit.module, hit.provider]);

describe('findJsLlmImports', () => {
  it('finds default, named, namespace and multi-line imports', () => {
    const text = [
      "import OpenAI from 'openai';",
      'import {',
      '  generateText,',
      '  streamText,',
      '} from "ai";',
      "import * as anthropic from '@anthropic-ai/sdk';",
      "import { openai } from '@ai-sdk/openai';",
    ].join('\n');
    expect(modules(text)).toEqual([
      [1, 'openai', 'openai'],
      [2, 'ai', 'vercel-ai'],
      [6, '@anthropic-ai/sdk', 'anthropic'],
      [7, '@ai-sdk/openai', 'vercel-ai'],
    ]);
  });

  it('reports the package for a subpath import', () => {
    expect(modules("import { ChatOpenAI } from '@langchain/openai/chat_models';\nimport x from 'langchain/agents';")).toEqual([
      [1, '@langchain/openai', 'langchain'],
      [2, 'langchain', 'langchain'],
    ]);
  });

  it('finds require, dynamic import, side-effect import and re-export', () => {
    const text = [
      "const Groq = require('groq-sdk');",
      "const { Ollama } = await import('ollama');",
      "import 'cohere-ai';",
      "export { GoogleGenAI } from '@google/genai';",
    ].join('\n');
    expect(modules(text)).toEqual([
      [1, 'groq-sdk', 'groq'],
      [2, 'ollama', 'ollama'],
      [3, 'cohere-ai', 'cohere'],
      [4, '@google/genai', 'google'],
    ]);
  });

  it('ignores type-only imports and exports', () => {
    const text = "import type { ChatCompletion } from 'openai/resources';\nexport type { Message } from '@anthropic-ai/sdk';";
    expect(modules(text)).toEqual([]);
  });

  it('ignores type references through import() and imports whose every specifier is a type', () => {
    const text = [
      'export interface Endpoint {',
      '  provider?: import("@huggingface/inference").InferenceProvider;',
      "  client: typeof import('openai');",
      '}',
      "/** @type {import('groq-sdk').ClientOptions} */",
      "import { type Message, type Tool } from '@anthropic-ai/sdk';",
    ].join('\n');
    expect(modules(text)).toEqual([]);
  });

  it('keeps a dynamic import used at runtime and a property read off require()', () => {
    const text = ["const mod = import('openai').then((m) => m.default);", "const Groq = require('groq-sdk').Groq;", "const { HfInference } = await import('@huggingface/inference');"].join('\n');
    expect(modules(text)).toEqual([
      [1, 'openai', 'openai'],
      [2, 'groq-sdk', 'groq'],
      [3, '@huggingface/inference', 'huggingface'],
    ]);
  });

  it('keeps an import that mixes types and values', () => {
    expect(modules("import OpenAI, { type ClientOptions } from 'openai';")).toEqual([[1, 'openai', 'openai']]);
  });

  it('ignores commented-out code', () => {
    const text = ["// import OpenAI from 'openai';", "// const x = require('openai');", '/*', " * const y = require('groq-sdk');", ' */'].join('\n');
    expect(modules(text)).toEqual([]);
  });

  it('does not mistake similar names for SDKs', () => {
    const text = "import aim from 'aim';\nimport x from 'ai-utils';\nimport y from './openai';\nimport z from '@acme/openai';\nconst s = 'openai';";
    expect(modules(text)).toEqual([]);
  });

  it('reports each module once, at its first line', () => {
    expect(modules("import OpenAI from 'openai';\nconst again = require('openai');")).toEqual([[1, 'openai', 'openai']]);
  });

  it('reads the script block of a single-file component', () => {
    const text = '<template><p /></template>\n<script setup lang="ts">\nimport { Mistral } from \'@mistralai/mistralai\';\n</script>';
    expect(modules(text)).toEqual([[3, '@mistralai/mistralai', 'mistral']]);
  });
});
