import { describe, expect, it } from 'vitest';
import { findPythonLlmImports } from './find-python-llm-imports.js';

const modules = (text: string): Array<[number, string, string]> => findPythonLlmImports(text).map((hit) => [hit.line, hit.module, hit.provider]);

describe('findPythonLlmImports', () => {
  it('finds plain and from imports', () => {
    const text = ['import os', 'import openai', 'from anthropic import Anthropic, AsyncAnthropic', 'import litellm as llm, json'].join('\n');
    expect(modules(text)).toEqual([
      [2, 'openai', 'openai'],
      [3, 'anthropic', 'anthropic'],
      [4, 'litellm', 'litellm'],
    ]);
  });

  it('names Google and LangChain modules precisely', () => {
    const text = [
      'import google.generativeai as genai',
      'from google import genai',
      'from google.cloud import storage',
      'from langchain_openai import ChatOpenAI',
      'from langchain.agents import AgentExecutor',
      'from llama_index.core import VectorStoreIndex',
    ].join('\n');
    expect(modules(text)).toEqual([
      [1, 'google.generativeai', 'google'],
      [2, 'google.genai', 'google'],
      [4, 'langchain_openai', 'langchain'],
      [5, 'langchain', 'langchain'],
      [6, 'llama_index', 'llamaindex'],
    ]);
  });

  it('finds an import inside a function and a parenthesised list', () => {
    const text = ['def ask():', '    from mistralai import Mistral', '', 'from google import (', '    genai,', ')'].join('\n');
    expect(modules(text)).toEqual([
      [2, 'mistralai', 'mistral'],
      [4, 'google.genai', 'google'],
    ]);
  });

  it('ignores comments, relative imports and look-alikes', () => {
    const text = ['# import openai', 'from .openai import client', 'import openai_helpers', 'from cohere_utils import x'].join('\n');
    expect(modules(text)).toEqual([]);
  });
});
