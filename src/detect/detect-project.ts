import { readdirSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors/input-error.js';
import { assertInstallDir } from './assert-install-dir.js';
import { detectFramework } from './detect-framework.js';
import { detectNextRouter } from './detect-next-router.js';
import { detectPackageManager, type PackageManagerDetection } from './detect-package-manager.js';
import type { Detected, DetectionDetails } from './detected.js';
import { ecosystemOf, type Ecosystem } from './framework-id.js';
import { readProjectFacts, type ProjectFacts } from './read-project-facts.js';
import { createTimeBudget } from './time-budget.js';

export interface DetectOptions {
  /** Look above the project for a workspace root's lockfile (monorepo packages). Default true. */
  readonly searchParents?: boolean | undefined;
  /** Allowance for the Next.js router look, the only part that walks folders. Default 100 ms. */
  readonly timeBudgetMs?: number | undefined;
  readonly signal?: AbortSignal | undefined;
}

/**
 * Detects the framework and package manager of the project in `installDir`, read-only and
 * bounded: it lists the root, reads a handful of manifests and config files, and for Next.js
 * looks into `app/` and `pages/`. Throws `InputError` only when `installDir` is not a readable
 * directory; a broken manifest just weakens the evidence.
 */
export async function detectProjectDetails(installDir: string, options: DetectOptions = {}): Promise<DetectionDetails> {
  assertInstallDir(installDir);
  const facts = readProjectFacts(installDir, readRoot(installDir));
  const framework = detectFramework(facts);
  const packageManager = detectPackageManagerFor(facts, framework.framework === null ? null : ecosystemOf(framework.framework), options);
  const evidence = [...framework.evidence, ...packageManager.evidence];
  if (facts.packageJson?.valid === false) evidence.push('package.json: not valid JSON, dependencies ignored');
  const details: DetectionDetails = {
    framework: framework.framework,
    packageManager: packageManager.packageManager,
    evidence,
    matched: framework.matched,
  };
  if (framework.framework !== 'nextjs') return details;
  const budget = createTimeBudget({ ms: options.timeBudgetMs ?? 100, signal: options.signal });
  const srcDirs = facts.rootDirs.has('src') ? directoryNames(join(installDir, 'src')) : new Set<string>();
  const router = await detectNextRouter(installDir, facts.rootDirs, srcDirs, budget);
  if (router.nextRouter === null) return details;
  return { ...details, evidence: [...evidence, ...router.evidence.map((file) => `Next.js route file ${file}`)], nextRouter: router.nextRouter };
}

/** The `detected` record of the seed step: `{framework, packageManager}`. */
export async function detectProject(installDir: string, options: DetectOptions = {}): Promise<Detected> {
  const { framework, packageManager } = await detectProjectDetails(installDir, options);
  return { framework, packageManager };
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

function directoryNames(dir: string): Set<string> {
  try {
    return new Set(readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name));
  } catch {
    return new Set();
  }
}
