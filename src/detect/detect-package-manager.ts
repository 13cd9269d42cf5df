import { basename } from 'node:path';
import type { Ecosystem } from './framework-id.js';
import { findWorkspaceRoot, type WorkspaceRoot } from './find-workspace-root.js';
import type { PackageManager } from './package-manager.js';
import type { ProjectFacts } from './read-project-facts.js';

export interface PackageManagerDetection {
  readonly packageManager: PackageManager | null;
  readonly evidence: string[];
}

export interface PackageManagerOptions {
  /** Look for a workspace root above the project when it has no lockfile of its own. Default true. */
  readonly searchParents?: boolean | undefined;
}

/**
 * The package manager of one ecosystem, strongest signal first: an explicit declaration
 * (corepack's `packageManager` field), then a lockfile, then a workspace root's lockfile, then
 * the ecosystem's default for a bare manifest (package.json → npm, requirements.txt → pip).
 *
 * When a project holds several lockfiles, the less common manager wins (bun, pnpm, yarn before
 * npm; uv, poetry before pipenv): a stray package-lock.json from one `npm install` is a more
 * likely accident than a deliberate pnpm-lock.yaml.
 */
export function detectPackageManager(facts: ProjectFacts, ecosystem: Ecosystem, options: PackageManagerOptions = {}): PackageManagerDetection {
  switch (ecosystem) {
    case 'js':
      return detectJs(facts, options.searchParents ?? true);
    case 'python':
      return detectPython(facts, options.searchParents ?? true);
    case 'ruby':
      return facts.rootFiles.has('Gemfile') ? found('bundler', 'Gemfile') : none();
    case 'php':
      return facts.rootFiles.has('composer.json') ? found('composer', 'composer.json') : none();
  }
}

const JS_LOCKFILES: ReadonlyArray<readonly [string, PackageManager]> = [
  ['bun.lock', 'bun'],
  ['bun.lockb', 'bun'],
  ['pnpm-lock.yaml', 'pnpm'],
  ['yarn.lock', 'yarn'],
  ['package-lock.json', 'npm'],
  ['npm-shrinkwrap.json', 'npm'],
];

const PYTHON_LOCKFILES: ReadonlyArray<readonly [string, PackageManager]> = [
  ['uv.lock', 'uv'],
  ['poetry.lock', 'poetry'],
  ['Pipfile.lock', 'pipenv'],
];

function detectJs(facts: ProjectFacts, searchParents: boolean): PackageManagerDetection {
  const declared = fromPackageManagerField(facts.packageJson?.packageManagerField ?? null);
  if (declared !== null) return found(declared, `package.json: packageManager "${facts.packageJson?.packageManagerField ?? ''}"`);
  const local = fromLockfiles(facts.rootFiles, JS_LOCKFILES);
  if (local !== null) return local;
  if (facts.rootFiles.has('pnpm-workspace.yaml')) return found('pnpm', 'pnpm-workspace.yaml');
  const workspace = searchParents && facts.packageJson !== null ? findWorkspaceRoot(facts.dir, 'js') : null;
  if (workspace !== null) {
    const fromRoot = fromWorkspace(workspace);
    if (fromRoot !== null) return fromRoot;
  }
  return facts.packageJson === null ? none() : found('npm', 'package.json without a lockfile');
}

function detectPython(facts: ProjectFacts, searchParents: boolean): PackageManagerDetection {
  const local = fromLockfiles(facts.rootFiles, PYTHON_LOCKFILES);
  if (local !== null) return local;
  if (facts.rootFiles.has('Pipfile')) return found('pipenv', 'Pipfile');
  if (facts.pyprojectTables.some((table) => table === 'tool.poetry' || table.startsWith('tool.poetry.'))) return found('poetry', 'pyproject.toml: [tool.poetry]');
  if (facts.pyprojectTables.some((table) => table === 'tool.uv' || table.startsWith('tool.uv.'))) return found('uv', 'pyproject.toml: [tool.uv]');
  const workspace = searchParents && facts.pythonManifests.length > 0 ? findWorkspaceRoot(facts.dir, 'python') : null;
  if (workspace !== null) return found('uv', `uv workspace root ${basename(workspace.dir)}/pyproject.toml`);
  if (facts.pythonManifests.length > 0) return found('pip', `${facts.pythonManifests[0] ?? ''} without a lockfile`);
  return found('pip', 'Python files without a manifest');
}

function fromWorkspace(root: WorkspaceRoot): PackageManagerDetection | null {
  const where = `workspace root ${basename(root.dir)}/`;
  const declared = fromPackageManagerField(root.packageManagerField);
  if (declared !== null) return found(declared, `${where}package.json: packageManager "${root.packageManagerField ?? ''}"`);
  for (const [file, manager] of JS_LOCKFILES) {
    if (root.files.has(file)) return found(manager, `${where}${file}`);
  }
  return root.files.has('pnpm-workspace.yaml') ? found('pnpm', `${where}pnpm-workspace.yaml`) : null;
}

function fromLockfiles(files: ReadonlySet<string>, table: ReadonlyArray<readonly [string, PackageManager]>): PackageManagerDetection | null {
  for (const [file, manager] of table) {
    if (files.has(file)) return found(manager, file);
  }
  return null;
}

function fromPackageManagerField(field: string | null): PackageManager | null {
  const name = field?.split('@')[0]?.trim();
  return name === 'npm' || name === 'pnpm' || name === 'yarn' || name === 'bun' ? name : null;
}

function found(packageManager: PackageManager, evidence: string): PackageManagerDetection {
  return { packageManager, evidence: [evidence] };
}

function none(): PackageManagerDetection {
  return { packageManager: null, evidence: [] };
}
