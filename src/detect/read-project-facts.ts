import { readdirSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { parseRequirements } from './parse-requirements.js';
import { parseSetupRequires } from './parse-setup-requires.js';
import { parseTomlDependencies } from './parse-toml-dependencies.js';
import { readFileHeadSync } from './read-file-head.js';
import { isSkippedDirName } from './skipped-dir-names.js';
import { isPlainObject } from '../util/is-plain-object.js';

/**
 * Everything detection looks at, read once from the top of the project: the root listing and
 * the manifests in it. Reads are bounded (a manifest's first 256 KiB, a source file's first
 * 16 KiB, at most a few dozen files) so detection costs about the same on any repository.
 * Framework and package-manager rules are then pure functions of these facts.
 */
export interface PackageJsonFacts {
  /** Names in `dependencies` and `devDependencies`. */
  readonly dependencies: ReadonlySet<string>;
  /** How many names are in `dependencies` alone: a package.json with none is tooling, not an app. */
  readonly runtimeDependencyCount: number;
  /** Names in `dependencies` alone (a workspace root's devDependencies are the monorepo's tooling). */
  readonly runtimeDependencies: ReadonlySet<string>;
  /** The corepack `packageManager` field, e.g. `pnpm@9.12.0`. */
  readonly packageManagerField: string | null;
  /** False when the file is not valid JSON (or is cut off by the read cap). */
  readonly valid: boolean;
}

export interface ProjectFacts {
  readonly dir: string;
  /** Names of the regular files (and links) directly in the project root. */
  readonly rootFiles: ReadonlySet<string>;
  /** Names of the directories directly in the project root (links excluded). */
  readonly rootDirs: ReadonlySet<string>;
  readonly packageJson: PackageJsonFacts | null;
  /** Normalised names from requirements files, pyproject.toml, Pipfile, setup.py and setup.cfg. */
  readonly pythonDependencies: ReadonlySet<string>;
  /** The same without dev groups and extras of pyproject.toml and Pipfile: what the app needs to run. */
  readonly pythonRuntimeDependencies: ReadonlySet<string>;
  /** Which Python manifests exist, as root-relative paths. */
  readonly pythonManifests: readonly string[];
  /** Table headers of pyproject.toml, e.g. `tool.poetry`. */
  readonly pyprojectTables: readonly string[];
  /** Top-level modules among `django`, `flask`, `fastapi` imported by Python files at the root. */
  readonly pythonRootImports: ReadonlySet<string>;
  /** A `manage.py` that mentions Django, root-relative; `null` if none. */
  readonly djangoManagePy: string | null;
  readonly gemfile: string | null;
  readonly gemfileLock: string | null;
  readonly railsApplication: boolean;
  readonly composerDependencies: ReadonlySet<string> | null;
  readonly artisanMentionsLaravel: boolean;
  readonly svelteConfigMentionsKit: boolean;
}

const MANIFEST_BYTES = 256 * 1024;
const SOURCE_BYTES = 16 * 1024;
const MAX_ROOT_PY_FILES = 20;
const MAX_MANAGE_PY_DIRS = 50;
const MAX_REQUIREMENT_FILES = 10;

export function readProjectFacts(dir: string, rootEntries: readonly Dirent[]): ProjectFacts {
  const rootFiles = new Set(rootEntries.filter((e) => e.isFile() || e.isSymbolicLink()).map((e) => e.name));
  const rootDirs = new Set(rootEntries.filter((e) => e.isDirectory()).map((e) => e.name));
  const read = (rel: string, bytes = MANIFEST_BYTES): string | null => readFileHeadSync(join(dir, rel), bytes);

  const packageJsonText = rootFiles.has('package.json') ? read('package.json') : null;
  const python = readPythonManifests(dir, rootFiles, rootDirs, read);
  const composerText = rootFiles.has('composer.json') ? read('composer.json') : null;
  const svelteConfig = [...rootFiles].find((name) => /^svelte\.config\.[cm]?[jt]s$/.test(name));
  const artisan = rootFiles.has('artisan') ? read('artisan', SOURCE_BYTES) : null;
  const railsApp = rootDirs.has('config') ? read('config/application.rb', SOURCE_BYTES) : null;

  return {
    dir,
    rootFiles,
    rootDirs,
    packageJson: packageJsonText === null ? null : packageJsonFacts(packageJsonText),
    ...python,
    pythonRootImports: pythonRootImports(rootFiles, read),
    djangoManagePy: findDjangoManagePy(rootFiles, rootDirs, packageJsonText !== null, read),
    gemfile: rootFiles.has('Gemfile') ? read('Gemfile') : null,
    gemfileLock: rootFiles.has('Gemfile.lock') ? read('Gemfile.lock') : null,
    railsApplication: railsApp !== null && /Rails::Application/.test(railsApp),
    composerDependencies: composerText === null ? null : composerDependencies(composerText),
    artisanMentionsLaravel: artisan !== null && /Laravel|Illuminate\\/.test(artisan),
    svelteConfigMentionsKit: svelteConfig !== undefined && /@sveltejs\/(kit|adapter-)/.test(read(svelteConfig, SOURCE_BYTES) ?? ''),
  };
}

function packageJsonFacts(text: string): PackageJsonFacts {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { dependencies: new Set(), runtimeDependencyCount: 0, runtimeDependencies: new Set(), packageManagerField: null, valid: false };
  }
  if (!isPlainObject(parsed)) return { dependencies: new Set(), runtimeDependencyCount: 0, runtimeDependencies: new Set(), packageManagerField: null, valid: false };
  const runtime = isPlainObject(parsed['dependencies']) ? Object.keys(parsed['dependencies']) : [];
  const dev = isPlainObject(parsed['devDependencies']) ? Object.keys(parsed['devDependencies']) : [];
  const field = parsed['packageManager'];
  return {
    dependencies: new Set([...runtime, ...dev]),
    runtimeDependencyCount: runtime.length,
    runtimeDependencies: new Set(runtime),
    packageManagerField: typeof field === 'string' ? field : null,
    valid: true,
  };
}

type ReadRelative = (rel: string, bytes?: number) => string | null;

function readPythonManifests(
  dir: string,
  rootFiles: ReadonlySet<string>,
  rootDirs: ReadonlySet<string>,
  read: ReadRelative,
): Pick<ProjectFacts, 'pythonDependencies' | 'pythonRuntimeDependencies' | 'pythonManifests' | 'pyprojectTables'> {
  const names = new Set<string>();
  const runtime = new Set<string>();
  const manifests: string[] = [];
  let pyprojectTables: string[] = [];
  const requirementFiles = [...rootFiles].filter((name) => /^requirements.*\.(txt|in)$/.test(name)).sort();
  if (rootDirs.has('requirements')) {
    requirementFiles.push(...listFiles(join(dir, 'requirements')).filter((name) => /\.(txt|in)$/.test(name)).map((name) => `requirements/${name}`));
  }
  for (const rel of requirementFiles.slice(0, MAX_REQUIREMENT_FILES)) {
    const text = read(rel);
    if (text === null) continue;
    manifests.push(rel);
    for (const name of parseRequirements(text)) {
      names.add(name);
      runtime.add(name);
    }
  }
  for (const rel of ['pyproject.toml', 'Pipfile']) {
    const text = rootFiles.has(rel) ? read(rel) : null;
    if (text === null) continue;
    manifests.push(rel);
    const parsed = parseTomlDependencies(text);
    for (const name of parsed.names) names.add(name);
    for (const name of parsed.runtime) runtime.add(name);
    if (rel === 'pyproject.toml') pyprojectTables = parsed.tables;
  }
  for (const rel of ['setup.py', 'setup.cfg']) {
    const text = rootFiles.has(rel) ? read(rel) : null;
    if (text === null) continue;
    manifests.push(rel);
    for (const name of parseSetupRequires(text)) {
      names.add(name);
      runtime.add(name);
    }
  }
  return { pythonDependencies: names, pythonRuntimeDependencies: runtime, pythonManifests: manifests, pyprojectTables };
}

/** Catches the bare `app.py` with `from flask import Flask` and no manifest at all. */
function pythonRootImports(rootFiles: ReadonlySet<string>, read: ReadRelative): Set<string> {
  const found = new Set<string>();
  const pyFiles = [...rootFiles].filter((name) => name.endsWith('.py')).sort().slice(0, MAX_ROOT_PY_FILES);
  for (const rel of pyFiles) {
    const text = read(rel, SOURCE_BYTES);
    if (text === null) continue;
    for (const match of text.matchAll(/^[ \t]*(?:from|import)[ \t]+(django|flask|fastapi)\b/gm)) {
      if (match[1] !== undefined) found.add(match[1]);
    }
  }
  return found;
}

const DJANGO_MANAGE_PY = /\bdjango\b|DJANGO_SETTINGS_MODULE|execute_from_command_line/;

/**
 * `manage.py` at the root, or one level down (`backend/manage.py`) when the root is not itself
 * a JavaScript project: a React app at the root with a Django API in a subfolder is the React
 * app's repository first.
 */
function findDjangoManagePy(
  rootFiles: ReadonlySet<string>,
  rootDirs: ReadonlySet<string>,
  hasPackageJson: boolean,
  read: ReadRelative,
): string | null {
  if (rootFiles.has('manage.py')) return DJANGO_MANAGE_PY.test(read('manage.py', SOURCE_BYTES) ?? '') ? 'manage.py' : null;
  if (hasPackageJson) return null;
  const candidates = [...rootDirs].filter((name) => !isSkippedDirName(name)).sort().slice(0, MAX_MANAGE_PY_DIRS);
  for (const sub of candidates) {
    const rel = `${sub}/manage.py`;
    const text = read(rel, SOURCE_BYTES);
    if (text !== null && DJANGO_MANAGE_PY.test(text)) return rel;
  }
  return null;
}

function composerDependencies(text: string): Set<string> {
  try {
    const parsed: unknown = JSON.parse(text);
    if (!isPlainObject(parsed)) return new Set();
    const require = isPlainObject(parsed['require']) ? Object.keys(parsed['require']) : [];
    const requireDev = isPlainObject(parsed['require-dev']) ? Object.keys(parsed['require-dev']) : [];
    return new Set([...require, ...requireDev]);
  } catch {
    return new Set();
  }
}

function listFiles(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => entry.name)
      .sort();
  } catch {
    return [];
  }
}

