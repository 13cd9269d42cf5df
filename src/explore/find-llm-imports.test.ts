import { describe, expect, it } from 'vitest';
import { findLlmImports } from './find-llm-imports.js';

const modules = (language: Parameters<typeof findLlmImports>[0], text: string): Array<[number, string, string]> =>
  findLlmImports(language, text).map((hit) => [hit.line, hit.module, hit.provider]);

describe('findLlmImports', () => {
  it('Ruby: a client constant or a require', () => {
    const text = ['class ChatController', '  # OpenAI::Client.new in a comment does not count', '  def create', '    client = OpenAI::Client.new', '  end', 'end'].join('\n');
    expect(modules('ruby', text)).toEqual([[4, 'openai', 'openai']]);
    expect(modules('ruby', "require 'anthropic'\nRubyLLM.chat")).toEqual([
      [1, 'anthropic', 'anthropic'],
      [2, 'ruby_llm', 'ruby-llm'],
    ]);
  });

  it('PHP: a namespace use or the client factory', () => {
    expect(modules('php', '<?php\n\nuse OpenAI\\Laravel\\Facades\\OpenAI;\n')).toEqual([[3, 'openai-php/client', 'openai']]);
    expect(modules('php', '<?php\n$client = OpenAI::client($key);\nuse Prism\\Prism\\Prism;\n')).toEqual([
      [2, 'openai-php/client', 'openai'],
      [3, 'prism-php/prism', 'prism'],
    ]);
    expect(modules('php', '<?php\nuse App\\Services\\OpenAIService;\n')).toEqual([]);
  });

  it('dispatches JavaScript and Python', () => {
    expect(modules('js', "import OpenAI from 'openai';")).toEqual([[1, 'openai', 'openai']]);
    expect(modules('python', 'import openai')).toEqual([[1, 'openai', 'openai']]);
  });
});
