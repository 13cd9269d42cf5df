import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readFileHeadSync } from './read-file-head.js';
import { isPlainObject } from '../util/is-plain-object.js';

/**
 * The nearest ancestor that is a workspace root, for a project that is one package of a
 * monorepo: its lockfile lives at the root, not beside its own package.json. A lockfile in an
 * ancestor counts only when that ancestor declares workspaces (`pnpm-workspace.yaml`, a
 * package.json `workspaces` field, uv's `[tool.uv.workspace]`), so a stray lockfile in a home
 * directory is never taken for the project's. The climb stops at a repository root (`.git`)
 * or after `maxLevels`.
 */
export interface WorkspaceRoot {
  readonly dir: string;
  readonly ecosystem: 'js' | 'python';
  readonly files: ReadonlySet<string>;
  readonly packageManagerField: string | null;
}

export function findWorkspaceRoot(projectDir: string, ecosystem: 'js' | 'python', maxLevels = 5): WorkspaceRoot | null {
  let dir = projectDir;
  for (let level = 0; level < maxLevels; level += 1) {
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
    const files = listNames(dir);
    if (files === null) return null;
    const root = ecosystem === 'js' ? jsWorkspace(dir, files) : pythonWorkspace(dir, files);
    if (root !== null) return root;
    if (files.has('.git')) return null;
  }
  return null;
}

function jsWorkspace(dir: string, files: ReadonlySet<string>): WorkspaceRoot | null {
  const text = files.has('package.json') ? readFileHeadSync(join(dir, 'package.json'), 256 * 1024) : null;
  let manifest: Record<string, unknown> = {};
  try {
    const parsed: unknown = text === null ? {} : JSON.parse(text);
    if (isPlainObject(parsed)) manifest = parsed;
  } catch {
    manifest = {};
  }
  if (!files.has('pnpm-workspace.yaml') && manifest['workspaces'] === undefined) return null;
  const field = manifest['packageManager'];
  return { dir, ecosystem: 'js', files, packageManagerField: typeof field === 'string' ? field : null };
}

function pythonWorkspace(dir: string, files: ReadonlySet<string>): WorkspaceRoot | null {
  if (!files.has('pyproject.toml')) return null;
  const text = readFileHeadSync(join(dir, 'pyproject.toml'), 256 * 1024) ?? '';
  return /^\s*\[tool\.uv\.workspace\]/m.test(text) ? { dir, ecosystem: 'python', files, packageManagerField: null } : null;
}

function listNames(dir: string): Set<string> | null {
  try {
    return new Set(readdirSync(dir));
  } catch {
    return null;
  }
}
