import { lstatSync, readdirSync, type Dirent } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { InputError } from '../errors/input-error.js';
import { assertInstallDir } from './assert-install-dir.js';
import { detectFramework, type FrameworkDetection } from './detect-framework.js';
import { detectNextRouter } from './detect-next-router.js';
import { detectPackageManager, type PackageManagerDetection } from './detect-package-manager.js';
import type { AppLayout, Detected, DetectionDetails } from './detected.js';
import { ecosystemOf, type Ecosystem } from './framework-id.js';
import { readProjectFacts, type ProjectFacts } from './read-project-facts.js';
import { appAt, isFallbackFramework, locateApp } from './locate-app.js';
import { createTimeBudget } from './time-budget.js';

export interface DetectOptions {
  /** Look above the project for a workspace root's lockfile (monorepo packages). Default true. */
  readonly searchParents?: boolean | undefined;
  /** Allowance for the Next.js router look, the only part that walks folders. Default 100 ms. */
  readonly timeBudgetMs?: number | undefined;
  readonly signal?: AbortSignal | undefined;
  /**
   * The app's folder, relative to `installDir` (`drover run --app`): skips locating the app.
   * It must be a folder inside `installDir`; `.` is the root.
   */
  readonly app?: string | undefined;
}

/**
 * Detects the framework and package manager of the project in `installDir`, read-only and
 * bounded: it lists the root, reads a handful of manifests and config files, and for Next.js
 * looks into `app/` and `pages/`. Throws `InputError` only when `installDir` is not a readable
 * directory; a broken manifest just weakens the evidence.
 */
export async function detectProjectDetails(installDir: string, options: DetectOptions = {}): Promise<DetectionDetails> {
  assertInstallDir(installDir);
  const rootFacts = readProjectFacts(installDir, readRoot(installDir));
  const rootFramework = detectFramework(rootFacts);
  const layout = options.app !== undefined ? chosenLayout(installDir, options.app) : locateApp(installDir, rootFacts, rootFramework);
  const { appDir } = layout;
  const appPath = appDir === '.' ? installDir : join(installDir, appDir);
  const facts = appDir === '.' ? rootFacts : readProjectFacts(appPath, readRoot(appPath));
  const framework = appDir !== '.' ? detectFramework(facts) : layout.kind === 'app' || options.app !== undefined ? rootFramework : withoutDevOnlyFramework(rootFramework);
  const packageManager = detectPackageManagerFor(facts, framework.framework === null ? null : ecosystemOf(framework.framework), options);
  const evidence = [...framework.evidence.map((line) => (appDir === '.' ? line : `${appDir}/: ${line}`)), ...packageManager.evidence];
  if (facts.packageJson?.valid === false) evidence.push('package.json: not valid JSON, dependencies ignored');
  const details: DetectionDetails = {
    framework: framework.framework,
    packageManager: packageManager.packageManager,
    evidence,
    matched: framework.matched,
    appDir,
    layout,
  };
  if (framework.framework !== 'nextjs') return details;
  const budget = createTimeBudget({ ms: options.timeBudgetMs ?? 100, signal: options.signal });
  const srcDirs = facts.rootDirs.has('src') ? directoryNames(join(appPath, 'src')) : new Set<string>();
  const router = await detectNextRouter(appPath, facts.rootDirs, srcDirs, budget);
  if (router.nextRouter === null) return details;
  return { ...details, evidence: [...evidence, ...router.evidence.map((file) => `Next.js route file ${file}`)], nextRouter: router.nextRouter };
}

/** The `detected` record of the seed step: `{framework, packageManager, appDir}`. */
export async function detectProject(installDir: string, options: DetectOptions = {}): Promise<Detected> {
  const { framework, packageManager, appDir } = await detectProjectDetails(installDir, options);
  return { framework, packageManager, appDir };
}

/**
 * A workspace root that is not an app (a library, or several apps and none chosen) reports the
 * generic fallback it matched (`node`), not the framework its devDependencies name.
 */
function withoutDevOnlyFramework(root: FrameworkDetection): FrameworkDetection {
  if (root.framework === null || isFallbackFramework(root.framework)) return root;
  const fallback = root.matched.find(isFallbackFramework) ?? null;
  return { framework: fallback, matched: root.matched, evidence: fallback === null ? [] : [`${root.framework} only in devDependencies of a workspace root`] };
}

/** `--app DIR`: the user's choice, checked to be a folder inside the install directory. */
function chosenLayout(installDir: string, app: string): AppLayout {
  const full = resolve(installDir, app);
  const rel = relative(installDir, full);
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) throw new InputError('is outside the install directory; --app takes a folder inside it, e.g. --app apps/web', { file: app });
  // lstat: a symbolic link is not followed, so the app cannot lead outside the install directory.
  if (!isRealDirectory(full)) throw new InputError(`--app: no such folder in ${installDir}`, { file: app });
  const appDir = rel === '' ? '.' : rel.split(sep).join('/');
  const found = appDir === '.' ? null : appAt(installDir, appDir);
  return { kind: 'app', appDir, apps: found === null ? [] : [found], examples: [], workspace: null, reason: `chosen with --app ${appDir}` };
}

/** With no framework, report the first ecosystem that has a manifest. */
function detectPackageManagerFor(facts: ProjectFacts, ecosystem: Ecosystem | null, options: DetectOptions): PackageManagerDetection {
  const pmOptions = { searchParents: options.searchParents };
  if (ecosystem !== null) return detectPackageManager(facts, ecosystem, pmOptions);
  if (facts.packageJson !== null) return detectPackageManager(facts, 'js', pmOptions);
  if (facts.pythonManifests.length > 0) return detectPackageManager(facts, 'python', pmOptions);
  if (facts.rootFiles.has('Gemfile')) return detectPackageManager(facts, 'ruby', pmOptions);
  if (facts.rootFiles.has('composer.json')) return detectPackageManager(facts, 'php', pmOptions);
  return { packageManager: null, evidence: [] };
}

function readRoot(installDir: string): Dirent[] {
  try {
    return readdirSync(installDir, { withFileTypes: true });
  } catch (error) {
    throw new InputError(`cannot list install directory (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`, { file: installDir });
  }
}

function isRealDirectory(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}

function directoryNames(dir: string): Set<string> {
  try {
    return new Set(readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name));
  } catch {
    return new Set();
  }
}
