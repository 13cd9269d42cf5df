import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readFileHeadSync } from './read-file-head.js';
import { isSkippedDirName } from './skipped-dir-names.js';
import { isPlainObject } from '../util/is-plain-object.js';

/**
 * The workspace a repository root declares, if any: which tools manage it and which package
 * folders it is made of. A workspace of packages is not an app by itself; `locate-app.ts`
 * decides which members are apps.
 *
 * Members come from the declarations the tools read: pnpm's `pnpm-workspace.yaml`, the
 * package.json `workspaces` field (npm, yarn, bun; also `{packages: [...]}`), `lerna.json`,
 * and uv's `[tool.uv.workspace] members`. Nx and Turborepo reuse the package manager's list;
 * an Nx repository without one gets Nx's default layout (`apps/*`, `libs/*`, `packages/*`).
 * Patterns support `*` (one folder) and `**` (up to three folders); `!pattern` excludes.
 */
export type WorkspaceTool = 'pnpm' | 'npm-workspaces' | 'lerna' | 'nx' | 'turbo' | 'uv';

export interface Workspace {
  readonly tools: WorkspaceTool[];
  /** Member folders, root-relative, POSIX, sorted; each holds a package.json or a pyproject.toml. */
  readonly members: string[];
  /** True when `MAX_MEMBERS` cut the list. */
  readonly truncated: boolean;
}

const MAX_MEMBERS = 500;
const MAX_DIRS_LISTED = 2_000;
const GLOBSTAR_DEPTH = 3;

export function readWorkspace(dir: string, rootFiles: ReadonlySet<string>): Workspace | null {
  const tools: WorkspaceTool[] = [];
  const jsPatterns: string[] = [];
  const pyPatterns: string[] = [];
  if (rootFiles.has('pnpm-workspace.yaml')) {
    const patterns = pnpmPatterns(readFileHeadSync(join(dir, 'pnpm-workspace.yaml'), 64 * 1024) ?? '');
    // A pnpm-workspace.yaml that only holds settings (onlyBuiltDependencies) declares no workspace.
    if (patterns.length > 0) {
      tools.push('pnpm');
      jsPatterns.push(...patterns);
    }
  }
  const manifest = rootFiles.has('package.json') ? parseJson(readFileHeadSync(join(dir, 'package.json'), 256 * 1024)) : null;
  const declared = manifest === null ? [] : workspacesField(manifest['workspaces']);
  if (declared.length > 0) {
    tools.push('npm-workspaces');
    jsPatterns.push(...declared);
  }
  if (rootFiles.has('lerna.json')) {
    const lerna = parseJson(readFileHeadSync(join(dir, 'lerna.json'), 64 * 1024));
    const packages = lerna === null ? [] : stringArray(lerna['packages']);
    tools.push('lerna');
    jsPatterns.push(...(packages.length > 0 ? packages : jsPatterns.length === 0 ? ['packages/*'] : []));
  }
  if (rootFiles.has('nx.json')) {
    tools.push('nx');
    if (jsPatterns.length === 0) jsPatterns.push('apps/*', 'libs/*', 'packages/*');
  }
  if (rootFiles.has('turbo.json')) tools.push('turbo');
  if (rootFiles.has('pyproject.toml')) {
    const members = uvMembers(readFileHeadSync(join(dir, 'pyproject.toml'), 256 * 1024) ?? '');
    if (members !== null) {
      tools.push('uv');
      pyPatterns.push(...members);
    }
  }
  if (tools.length === 0) return null;
  const found = new Set<string>();
  let truncated = false;
  const budget = { dirs: MAX_DIRS_LISTED };
  const expand = (patterns: readonly string[], marker: (files: ReadonlySet<string>) => boolean): void => {
    const excluded = patterns.filter((p) => p.startsWith('!')).map((p) => globToRegExp(p.slice(1)));
    for (const pattern of patterns.filter((p) => !p.startsWith('!'))) {
      for (const member of expandPattern(dir, normalise(pattern), budget)) {
        if (excluded.some((re) => re.test(member)) || !marker(listNames(join(dir, member)))) continue;
        if (found.size >= MAX_MEMBERS) {
          truncated = true;
          return;
        }
        found.add(member);
      }
    }
  };
  expand(jsPatterns, (files) => files.has('package.json'));
  expand(pyPatterns, (files) => files.has('pyproject.toml'));
  return { tools, members: [...found].sort(), truncated: truncated || budget.dirs <= 0 };
}

/** The `packages:` list of pnpm-workspace.yaml, by line scanning (the rest of the file is settings). */
export function pnpmPatterns(text: string): string[] {
  const out: string[] = [];
  let inPackages = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\s+#.*$/, '');
    if (/^packages\s*:/.test(line)) {
      inPackages = true;
      const inline = /\[(.*)\]/.exec(line)?.[1];
      if (inline !== undefined) {
        out.push(...inline.split(',').map(unquote).filter((p) => p !== ''));
        inPackages = false;
      }
      continue;
    }
    if (!inPackages) continue;
    const item = /^\s*-\s*(.+?)\s*$/.exec(line);
    if (item?.[1] !== undefined) out.push(unquote(item[1]));
    else if (/^\S/.test(line)) inPackages = false;
  }
  return out.filter((p) => p !== '');
}

/** `[tool.uv.workspace] members = [...]`, or `null` when there is no uv workspace. */
export function uvMembers(text: string): string[] | null {
  const section = /^\s*\[tool\.uv\.workspace\]\s*$([\s\S]*?)(?=^\s*\[|(?![\s\S]))/m.exec(text);
  if (section === null) return null;
  const members = /^\s*members\s*=\s*\[([\s\S]*?)\]/m.exec(section[1] ?? '');
  if (members?.[1] === undefined) return [];
  return [...members[1].matchAll(/"([^"]*)"|'([^']*)'/g)].map((m) => m[1] ?? m[2] ?? '').filter((p) => p !== '');
}

function workspacesField(value: unknown): string[] {
  if (Array.isArray(value)) return stringArray(value);
  if (isPlainObject(value)) return stringArray(value['packages']);
  return [];
}

function expandPattern(root: string, pattern: string, budget: { dirs: number }): string[] {
  if (pattern === '' || pattern === '.' || pattern.startsWith('..')) return [];
  let current = [''];
  for (const segment of pattern.split('/')) {
    const next: string[] = [];
    for (const base of current) {
      if (segment === '**') {
        next.push(base, ...descendants(root, base, GLOBSTAR_DEPTH, budget));
      } else if (segment.includes('*')) {
        const re = new RegExp(`^${segment.split('*').map(escapeRegExp).join('[^/]*')}$`);
        next.push(...subdirs(root, base, budget).filter((name) => re.test(name)).map((name) => join2(base, name)));
      } else {
        next.push(join2(base, segment));
      }
    }
    current = [...new Set(next)];
    if (current.length === 0) break;
  }
  return current.filter((p) => p !== '');
}

function descendants(root: string, base: string, depth: number, budget: { dirs: number }): string[] {
  if (depth === 0) return [];
  const out: string[] = [];
  for (const name of subdirs(root, base, budget)) {
    const path = join2(base, name);
    out.push(path, ...descendants(root, path, depth - 1, budget));
  }
  return out;
}

function subdirs(root: string, base: string, budget: { dirs: number }): string[] {
  if (budget.dirs <= 0) return [];
  budget.dirs -= 1;
  try {
    return readdirSync(base === '' ? root : join(root, base), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && !isSkippedDirName(entry.name))
      .map((entry) => entry.name)
      .sort();
  } catch {
    return [];
  }
}

function globToRegExp(pattern: string): RegExp {
  const body = normalise(pattern)
    .split('/')
    .map((segment) => (segment === '**' ? '(?:.*)' : segment.split('*').map(escapeRegExp).join('[^/]*')))
    .join('/');
  return new RegExp(`^${body}(?:/.*)?$`);
}

function normalise(pattern: string): string {
  return pattern.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');
}

function join2(base: string, name: string): string {
  return base === '' ? name : `${base}/${name}`;
}

function listNames(dir: string): Set<string> {
  try {
    return new Set(readdirSync(dir));
  } catch {
    return new Set();
  }
}

function unquote(text: string): string {
  return text.trim().replace(/^['"]|['"]$/g, '');
}

function stringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function parseJson(text: string | null): Record<string, unknown> | null {
  if (text === null) return null;
  try {
    const parsed: unknown = JSON.parse(text);
    return isPlainObject(parsed) ? parsed : null;
  } catch {
    return null;
  }
}


function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
