import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../errors/input-error.js';
import { loadPromptLibrary } from './load-prompt-library.js';

let root: string;
let base: string;
let override: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'drover-prompts-'));
  base = join(root, 'base');
  override = join(root, 'override');
  await writeFiles(base, {
    'seed.md': '---\nseed: true\n---\nSeed the queue.',
    'stub.md': '---\nfallback: true\n---\nStub it.',
    'plan.md': '---\nlabel: Plan\nskills: [careful]\n---\nBundled plan.',
    'report.md': '---\nsink: true\ndependsOn: [plan]\n---\nReport.',
    'skills/careful.md': 'Be careful.',
  });
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function writeFiles(dir: string, files: Record<string, string>): Promise<void> {
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), text);
  }
}

async function loadError(options: Parameters<typeof loadPromptLibrary>[0]): Promise<string> {
  const error: unknown = await loadPromptLibrary(options).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(InputError);
  return (error as Error).message;
}

describe('loadPromptLibrary', () => {
  it('loads prompts and skills, sorted by name', async () => {
    const library = await loadPromptLibrary({ dir: base });
    expect(library.prompts.map((prompt) => prompt.name)).toEqual(['plan', 'report', 'seed', 'stub']);
    expect([...library.skills.keys()]).toEqual(['careful']);
    expect(library.seed?.name).toBe('seed');
  });

  it('lets an override file shadow the bundled file of the same name and keeps the rest', async () => {
    await writeFiles(override, { 'plan.md': '---\nlabel: My plan\n---\nMy plan.', 'skills/careful.md': 'My care.' });
    const library = await loadPromptLibrary({ dir: base, overrideDir: override });
    const plan = library.prompts.find((prompt) => prompt.type === 'plan');
    expect(plan?.body).toBe('My plan.');
    expect(plan?.file).toBe(join(override, 'plan.md'));
    expect(library.skills.get('careful')?.body).toBe('My care.');
    expect(library.prompts.map((prompt) => prompt.name)).toEqual(['plan', 'report', 'seed', 'stub']);
  });

  it('adds new types from the override directory', async () => {
    await writeFiles(override, { 'identify.md': '---\nskills: [careful]\n---\nIdentify users.' });
    const library = await loadPromptLibrary({ dir: base, overrideDir: override });
    expect(library.prompts.map((prompt) => prompt.type)).toContain('identify');
  });

  it('refuses a second prompt for a type, and says how to replace the first', async () => {
    await writeFiles(override, { 'my-plan.md': '---\ntype: plan\n---\nMine.' });
    expect(await loadError({ dir: base, overrideDir: override })).toBe(
      `${join(override, 'my-plan.md')}: frontmatter $.type: type "plan" is already claimed by ${join(base, 'plan.md')} (to replace that prompt, name your file plan.md)`,
    );
  });

  it('refuses a work prompt of the seed task\'s type (a seed.md without `seed: true`)', async () => {
    await writeFiles(override, { 'seed.md': '---\nlabel: Not the seed\n---\nMine.' });
    expect(await loadError({ dir: base, overrideDir: override })).toBe(
      `${join(override, 'seed.md')}: frontmatter $.type: type "seed" is reserved for the run's seed task: mark this prompt \`seed: true\` or give it another type`,
    );
  });

  it('refuses a second seed', async () => {
    await writeFiles(override, { 'orchestrate.md': '---\nseed: true\n---\nMine.' });
    expect(await loadError({ dir: base, overrideDir: override })).toMatch(/orchestrate\.md: frontmatter \$\.seed: a second seed prompt; .*seed\.md is already the seed/);
  });

  it('refuses a prompt that references an unknown skill or type', async () => {
    await writeFiles(override, { 'plan.md': '---\nskills: [careful, carefull]\n---\nMine.' });
    expect(await loadError({ dir: base, overrideDir: override })).toBe(`${join(override, 'plan.md')}: frontmatter $.skills[1]: unknown skill "carefull" (known: careful)`);
    await writeFiles(override, { 'plan.md': '---\ndependsOn: [seed]\n---\nMine.' });
    expect(await loadError({ dir: base, overrideDir: override })).toBe(`${join(override, 'plan.md')}: frontmatter $.dependsOn[0]: unknown task type "seed" (known: plan, report)`);
  });

  it('ignores README.md, dot files and other extensions', async () => {
    await writeFiles(override, { 'README.md': '# My prompts', '.draft.md': 'nope', 'notes.txt': 'nope' });
    const library = await loadPromptLibrary({ dir: base, overrideDir: override });
    expect(library.prompts.map((prompt) => prompt.name)).toEqual(['plan', 'report', 'seed', 'stub']);
  });

  it('reports a missing override directory as bad input', async () => {
    expect(await loadError({ dir: base, overrideDir: join(root, 'nope') })).toBe(`${join(root, 'nope')}: prompts directory not found`);
  });

  it('passes parse errors through with the file name', async () => {
    await writeFiles(override, { 'plan.md': '---\nskills: careful\n---\nMine.' });
    expect(await loadError({ dir: base, overrideDir: override })).toBe(`${join(override, 'plan.md')}: frontmatter $.skills: expected array, got string`);
  });

  it('loads the bundled prompts by default', async () => {
    const library = await loadPromptLibrary();
    expect(library.seed?.name).toBe('seed');
  });
});
