import { readdirSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { detectFramework, type FrameworkDetection } from './detect-framework.js';
import type { AppCandidate, AppLayout } from './detected.js';
import type { FrameworkId } from './framework-id.js';
import { readFileHeadSync } from './read-file-head.js';
import { readProjectFacts, type ProjectFacts } from './read-project-facts.js';
import { readWorkspace, type Workspace } from './read-workspace.js';
import { isSkippedDirName } from './skipped-dir-names.js';
import { isPlainObject } from '../util/is-plain-object.js';

/**
 * Where the app lives in a repository: at the root, in one subfolder (`backend/`, `apps/web/`),
 * in several (a workspace of apps, which the user must choose between), or nowhere (a library).
 *
 * 1. A root that matches a framework is the app, unless the root declares a workspace and the
 *    only evidence is a devDependency (vercel/ai's root `next` is tooling for its examples), or
 *    the only evidence is a `manage.py` one folder down (then the app is that folder).
 * 2. Otherwise the candidates are the workspace members and the conventional app folders
 *    (`backend`, `server`, `api`, `web`, `frontend`, `client`, `app`, `src`, `apps/*`,
 *    `services/*`, `packages/*`). A candidate is an app when it matches a framework other than
 *    the generic fallbacks and is not a published library (a package.json with `exports`,
 *    `module`, `types`, `files`, `peerDependencies` or `publishConfig`); a member of `apps/` is an
 *    app whatever it matches. Apps under `examples/`, `templates/`, `demos/`, `playground/`,
 *    `docs/`, `e2e/`, `tools/` and the like are listed as examples, never chosen.
 * 3. A root with code of its own that matched only a fallback (`python` with `.py` files at
 *    the root) competes as one more candidate.
 * 4. One app: chosen. Several: chosen only when exactly one is a server framework and every
 *    other is a browser app it serves (FastAPI in `backend/` with React in `frontend/`: the
 *    backend owns routes and entry points, the same rule as detection's precedence). Otherwise
 *    none is chosen and `kind` is `apps`.
 */
const FALLBACKS: ReadonlySet<FrameworkId> = new Set(['node', 'javascript', 'python']);
const SERVER_FRAMEWORKS: ReadonlySet<FrameworkId> = new Set(['django', 'flask', 'fastapi', 'rails', 'laravel', 'express']);
const BROWSER_APPS: ReadonlySet<FrameworkId> = new Set(['react', 'vue', 'angular', 'javascript']);
const CONVENTIONAL_DIRS = ['backend', 'server', 'api', 'web', 'webapp', 'frontend', 'client', 'app', 'src'];
const CONVENTIONAL_PARENTS = ['apps', 'services', 'packages'];
const EXAMPLE_SEGMENT = /^(?:examples?|templates?|demos?|playgrounds?|sandbox(?:es)?|fixtures?|e2e|tests?|benchmarks?|bench|tools|tooling|scripts|docs|documentation|website|storybook)$|[-_](?:e2e|examples?|demos?|docs)$/;
/** A package.json with any of these is published for others to import (`main` alone is npm init's default). */
const LIBRARY_FIELDS = ['exports', 'module', 'types', 'typings', 'files', 'publishConfig', 'peerDependencies'];
const DEPENDENCY_EVIDENCE = /^package\.json: dependency "|^Python dependency "/;
/** Folders looked at, at most: the workspace members and the conventional folders together. */
const MAX_CANDIDATES = 200;

export function locateApp(installDir: string, rootFacts: ProjectFacts, root: FrameworkDetection): AppLayout {
  const workspace = readWorkspace(installDir, rootFacts.rootFiles);
  const workspaceInfo = workspace === null ? null : { tools: workspace.tools, members: workspace.members.length };
  const rootApp: AppCandidate | null = root.framework === null ? null : { dir: '.', framework: root.framework };
  const rootOwnsEvidence = !root.evidence.every((line) => /^[^/\s]+\/manage\.py: /.test(line));
  const rootIsApp = root.framework !== null && !FALLBACKS.has(root.framework) && rootOwnsEvidence && !(workspace !== null && devDependencyOnly(root, rootFacts));
  const strongRoot = rootIsApp && (workspace === null || !root.evidence.every((line) => DEPENDENCY_EVIDENCE.test(line)));
  if (rootIsApp && root.framework !== null && strongRoot) {
    return { kind: 'app', appDir: '.', apps: [{ dir: '.', framework: root.framework }], examples: [], workspace: workspaceInfo, reason: `the root is a ${root.framework} app` };
  }

  const apps: AppCandidate[] = [];
  const examples: AppCandidate[] = [];
  for (const dir of candidateDirs(installDir, rootFacts.rootDirs, workspace)) {
    const found = appAt(installDir, dir);
    if (found === null) continue;
    (isExamplePath(dir) ? examples : apps).push(found);
  }
  // A workspace root whose only evidence is a dependency: with a single-version policy (Nx)
  // the root package.json lists every app's dependencies; it is the app only if no member is.
  if (rootIsApp && root.framework !== null && apps.length === 0) {
    return { kind: 'app', appDir: '.', apps: [{ dir: '.', framework: root.framework }], examples, workspace: workspaceInfo, reason: `the root is a ${root.framework} app` };
  }
  if (apps.length > 0 && rootApp !== null && hasOwnCode(rootFacts) && workspace === null) apps.unshift(rootApp);

  if (apps.length === 1 && apps[0] !== undefined) {
    const only = apps[0];
    return { kind: 'app', appDir: only.dir, apps, examples, workspace: workspaceInfo, reason: `the only app is ${only.framework ?? 'unknown'} in ${only.dir}/` };
  }
  if (apps.length > 1) {
    const servers = apps.filter((app) => app.framework !== null && SERVER_FRAMEWORKS.has(app.framework));
    const server = servers[0];
    if (servers.length === 1 && server !== undefined && apps.every((app) => app === server || (app.framework !== null && BROWSER_APPS.has(app.framework)))) {
      return { kind: 'app', appDir: server.dir, apps, examples, workspace: workspaceInfo, reason: `${server.framework ?? ''} in ${server.dir}/ serves the browser app beside it` };
    }
    return { kind: 'apps', appDir: '.', apps, examples, workspace: workspaceInfo, reason: `${apps.length} apps and none chosen` };
  }
  const library = workspace !== null || isLibraryManifest(readManifest(installDir, '.')) || (root.framework === 'python' && isPythonDistribution(rootFacts));
  if (library) {
    const what = workspace !== null ? `a workspace of ${workspace.members.length === 0 ? 'Python packages' : `${workspace.members.length} packages`} (${workspace.tools.join(', ')}) with no app` : 'a published package with no app';
    return { kind: 'library', appDir: '.', apps: [], examples, workspace: workspaceInfo, reason: what };
  }
  if (rootApp === null) return { kind: 'none', appDir: '.', apps: [], examples, workspace: workspaceInfo, reason: 'no framework matched' };
  return { kind: 'app', appDir: '.', apps: [rootApp], examples, workspace: workspaceInfo, reason: `the root is a ${rootApp.framework ?? ''} project` };
}

/** The app at `dir` (root-relative), or `null` when what is there is not an app. */
export function appAt(installDir: string, dir: string): AppCandidate | null {
  const entries = readEntries(join(installDir, dir));
  if (entries === null) return null;
  const facts = readProjectFacts(join(installDir, dir), entries);
  const { framework } = detectFramework(facts);
  if (framework === null) return null;
  if (dir.startsWith('apps/')) return { dir, framework };
  if (FALLBACKS.has(framework)) return null;
  if (facts.packageJson !== null && ecosystemIsJs(framework) && isLibraryManifest(readManifest(installDir, dir))) return null;
  return { dir, framework };
}

export function isFallbackFramework(framework: FrameworkId): boolean {
  return FALLBACKS.has(framework);
}

export function isExamplePath(dir: string): boolean {
  return dir.split('/').some((segment) => EXAMPLE_SEGMENT.test(segment));
}

function candidateDirs(installDir: string, rootDirs: ReadonlySet<string>, workspace: Workspace | null): string[] {
  const dirs = new Set<string>(workspace?.members ?? []);
  for (const name of CONVENTIONAL_DIRS) if (rootDirs.has(name)) dirs.add(name);
  for (const parent of CONVENTIONAL_PARENTS) {
    if (!rootDirs.has(parent)) continue;
    for (const entry of readEntries(join(installDir, parent)) ?? []) {
      if (entry.isDirectory() && !isSkippedDirName(entry.name)) dirs.add(`${parent}/${entry.name}`);
    }
  }
  return [...dirs].sort().slice(0, MAX_CANDIDATES);
}

/** In a workspace root, `next` in devDependencies is the monorepo's tooling, not an app at the root. */
function devDependencyOnly(root: FrameworkDetection, facts: ProjectFacts): boolean {
  const runtime = facts.packageJson?.runtimeDependencies ?? new Set<string>();
  return root.evidence.every((line) => {
    const dep = /^package\.json: dependency "(.+)"$/.exec(line)?.[1];
    return dep !== undefined && !runtime.has(dep);
  });
}

/** Code at the root beyond manifests: `.py` files, or a package.json with runtime dependencies. */
function hasOwnCode(facts: ProjectFacts): boolean {
  if ([...facts.rootFiles].some((name) => name.endsWith('.py') && name !== 'setup.py' && name !== 'noxfile.py' && name !== 'conftest.py')) return true;
  return (facts.packageJson?.runtimeDependencyCount ?? 0) > 0;
}

/** A pyproject.toml that builds a distribution (`[build-system]` with `[project]` or Poetry) and no code at the root. */
function isPythonDistribution(facts: ProjectFacts): boolean {
  const tables = new Set(facts.pyprojectTables);
  return tables.has('build-system') && (tables.has('project') || tables.has('tool.poetry')) && !hasOwnCode(facts);
}

function ecosystemIsJs(framework: FrameworkId): boolean {
  return !['django', 'flask', 'fastapi', 'python', 'rails', 'laravel'].includes(framework);
}

function isLibraryManifest(manifest: Record<string, unknown> | null): boolean {
  if (manifest === null) return false;
  if (LIBRARY_FIELDS.some((field) => manifest[field] !== undefined)) return true;
  return false;
}

function readManifest(installDir: string, dir: string): Record<string, unknown> | null {
  const text = readFileHeadSync(join(installDir, dir, 'package.json'), 256 * 1024);
  if (text === null) return null;
  try {
    const parsed: unknown = JSON.parse(text);
    return isPlainObject(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

function readEntries(dir: string): Dirent[] | null {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return null;
  }
}
