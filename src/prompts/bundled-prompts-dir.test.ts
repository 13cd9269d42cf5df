import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledPromptsDir } from './bundled-prompts-dir.js';

describe('bundledPromptsDir', () => {
  it('finds the repository prompts/ from the source tree', () => {
    expect(existsSync(join(bundledPromptsDir(), 'stub.md'))).toBe(true);
  });

  it('resolves to <package root>/prompts from the build output, installed or not', () => {
    expect(bundledPromptsDir('file:///work/drover/dist/prompts/bundled-prompts-dir.js')).toBe('/work/drover/prompts');
    expect(bundledPromptsDir('file:///app/node_modules/drover/dist/prompts/bundled-prompts-dir.js')).toBe('/app/node_modules/drover/prompts');
  });
});
