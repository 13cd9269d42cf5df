import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DroverError } from '../errors/drover-error.js';
import { InputError } from '../errors/input-error.js';
import { buildPromptLibrary, type PromptLibrary } from './build-prompt-library.js';
import { bundledPromptsDir } from './bundled-prompts-dir.js';
import { parseAgentPrompt } from './parse-agent-prompt.js';
import { parseSkill } from './parse-skill.js';

export interface LoadPromptLibraryOptions {
  /** The base prompts directory; defaults to the bundled one. */
  readonly dir?: string;
  /** `--prompts DIR`: its files shadow base files of the same name (`plan.md`, `skills/x.md`); the rest of the base stays. */
  readonly overrideDir?: string;
}

/**
 * Loads agent prompts (`<dir>/*.md`) and mini-skills (`<dir>/skills/*.md`), then checks them as
 * one library (`buildPromptLibrary`). Overriding is per file rather than wholesale, so a user can
 * replace one prompt or skill without copying the rest. Dot files and `README.md` are ignored.
 */
export async function loadPromptLibrary(options: LoadPromptLibraryOptions = {}): Promise<PromptLibrary> {
  const baseDir = options.dir ?? bundledPromptsDir();
  const base = await listLayer(baseDir, options.dir === undefined ? 'bundled' : 'base');
  const override = options.overrideDir === undefined ? { prompts: new Map<string, string>(), skills: new Map<string, string>() } : await listLayer(options.overrideDir, 'override');
  const promptFiles = new Map([...base.prompts, ...override.prompts]);
  const skillFiles = new Map([...base.skills, ...override.skills]);
  const prompts = await Promise.all([...promptFiles.values()].map(async (file) => parseAgentPrompt(await readText(file), file)));
  const skills = await Promise.all([...skillFiles.values()].map(async (file) => parseSkill(await readText(file), file)));
  return buildPromptLibrary(prompts, skills);
}

interface Layer {
  /** File name (`plan.md`) → path. */
  readonly prompts: Map<string, string>;
  readonly skills: Map<string, string>;
}

async function listLayer(dir: string, role: 'bundled' | 'base' | 'override'): Promise<Layer> {
  const info = await stat(dir).catch(() => undefined);
  if (info === undefined || !info.isDirectory()) {
    if (role === 'bundled') throw new DroverError('internal', `the bundled prompts directory is missing: ${dir} (a broken install?)`);
    throw new InputError(info === undefined ? 'prompts directory not found' : 'expected a directory of prompt files', { file: dir });
  }
  const skillsDir = join(dir, 'skills');
  return { prompts: await markdownFiles(dir), skills: await markdownFiles(skillsDir) };
}

async function markdownFiles(dir: string): Promise<Map<string, string>> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return [];
    throw new InputError(`cannot read directory (${error.code ?? 'unknown error'})`, { file: dir });
  });
  const files = new Map<string, string>();
  for (const entry of entries) {
    const name = entry.name;
    if (!name.endsWith('.md') || name.startsWith('.') || name.toLowerCase() === 'readme.md') continue;
    const path = join(dir, name);
    // Follow symlinks: a prompts directory assembled from links is a reasonable thing to have.
    const isFile = entry.isFile() || (entry.isSymbolicLink() && (await stat(path).catch(() => undefined))?.isFile() === true);
    if (isFile) files.set(name, path);
  }
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`, { file });
  }
}
