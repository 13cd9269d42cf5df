import type { WalkCut } from '../detect/walk-files.js';
import type { LlmProvider } from './llm-provider.js';

/** A file that brings in an LLM SDK: a candidate for an llm-analytics task. */
export interface LlmCall {
  /** Root-relative, POSIX separators. */
  readonly file: string;
  /** 1-based line of the import (or, in Ruby, of the first client use). */
  readonly line: number;
  readonly provider: LlmProvider;
  /** The package as it is installed: `openai`, `@ai-sdk/openai`, `langchain_openai`, `google.genai`. */
  readonly module: string;
}

/**
 * What the seed step found worth instrumenting. Every path is relative to the install
 * directory with POSIX separators; every list is sorted (code-unit order) and duplicate-free.
 * Tests, mocks and stories are left out.
 */
export interface Exploration {
  /** Where an SDK is initialised: root layouts, `main.ts`, settings modules, app factories. */
  readonly entryPoints: string[];
  /** Files that render a user-facing screen. */
  readonly pages: string[];
  /** Files that answer machine requests: route handlers, endpoints, API controllers. */
  readonly apiRoutes: string[];
  /** Sorted by file, then line, then module. */
  readonly llmCalls: LlmCall[];
  /** Files the walker listed (skipped directories are not counted). */
  readonly filesWalked: number;
  /** Source files whose head was read for imports. */
  readonly filesScanned: number;
  /** True when a cap or the time budget stopped the walk or the scan early: the lists may be partial. */
  readonly truncated: boolean;
  /** Which limit cut it, or `null`. */
  readonly truncatedBy: WalkCut | null;
  readonly elapsedMs: number;
}
