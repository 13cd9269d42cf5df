import { join } from 'node:path';
import { assertInstallDir } from '../detect/assert-install-dir.js';
import type { Detected } from '../detect/detected.js';
import { nextRouteDirs } from '../detect/next-route-dirs.js';
import { readFileHeadSync } from '../detect/read-file-head.js';
import { createTimeBudget } from '../detect/time-budget.js';
import { walkFiles, type WalkCut } from '../detect/walk-files.js';
import { contentRoles } from './content-roles.js';
import { djangoEntries } from './django-entries.js';
import type { Exploration, LlmCall } from './exploration.js';
import { findLlmImports } from './find-llm-imports.js';
import { packageEntries } from './package-entries.js';
import type { FileRole, RoleContext } from './path-roles.js';
import { planScan } from './plan-scan.js';

export interface ExploreOptions {
  /** Wall-clock allowance for the walk and the scan together. Default 300 ms. */
  readonly timeBudgetMs?: number | undefined;
  /** Files to list before stopping. Default 20,000. */
  readonly maxFiles?: number | undefined;
  /** Directory levels to enter. Default 24. */
  readonly maxDepth?: number | undefined;
  /** Bytes read from the start of each source file. Default 64 KiB. */
  readonly maxFileBytes?: number | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Clock the budget is counted on, in milliseconds (tests). Default: the process's CPU time (see `time-budget.ts`). */
  readonly now?: (() => number) | undefined;
}

export const DEFAULT_EXPLORE_BUDGET_MS = 300;
export const DEFAULT_MAX_FILE_BYTES = 64 * 1024;

/**
 * Decides what to instrument in the project at `installDir`: entry points, pages, API routes
 * and LLM SDK imports. Read-only, and bounded three ways: the walker's file and depth caps, a
 * per-file read cap, and one time budget. Files that match a framework convention are scanned
 * first, so a cut drops the least likely candidates. Throws `InputError` only when
 * `installDir` is not a readable directory.
 */
export async function exploreRepo(installDir: string, detected: Detected, options: ExploreOptions = {}): Promise<Exploration> {
  assertInstallDir(installDir);
  const appDir = detected.appDir ?? '.';
  if (appDir === '.') return exploreDir(installDir, detected, options);
  const found = await exploreDir(join(installDir, appDir), detected, options);
  return rebaseExploration(found, appDir);
}

/** Paths stay relative to the install directory, where agents work, when the app is in a subfolder. */
function rebaseExploration(found: Exploration, appDir: string): Exploration {
  const prefix = (file: string): string => `${appDir}/${file}`;
  return {
    ...found,
    entryPoints: found.entryPoints.map(prefix),
    pages: found.pages.map(prefix),
    apiRoutes: found.apiRoutes.map(prefix),
    llmCalls: found.llmCalls.map((call) => ({ ...call, file: prefix(call.file) })),
  };
}

async function exploreDir(installDir: string, detected: Detected, options: ExploreOptions): Promise<Exploration> {
  assertInstallDir(installDir);
  const budget = createTimeBudget({ ms: options.timeBudgetMs ?? DEFAULT_EXPLORE_BUDGET_MS, signal: options.signal, now: options.now });
  const walk = await walkFiles(installDir, { maxFiles: options.maxFiles, maxDepth: options.maxDepth, budget });
  const ctx = roleContext(installDir, walk.files, detected);

  const { roles, queue } = planScan(walk.files, ctx);

  let cut: WalkCut | null = walk.cut;
  const llmCalls: LlmCall[] = [];
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const scratch = Buffer.allocUnsafe(maxFileBytes);
  let filesScanned = 0;
  for (const [file, language] of queue) {
    if (await budget.pause()) {
      cut ??= budget.reason() ?? 'time-budget';
      break;
    }
    const text = readFileHeadSync(join(installDir, file), maxFileBytes, scratch);
    if (text === null) continue;
    filesScanned += 1;
    for (const hit of findLlmImports(language, text)) llmCalls.push({ file, ...hit });
    const refined = contentRoles(file, language, text, detected.framework, roles.get(file) ?? []);
    if (refined.length > 0) roles.set(file, refined);
    else roles.delete(file);
  }

  applyDjangoEntries(installDir, detected, walk.files, roles);

  return {
    entryPoints: filesWith(roles, 'entry'),
    pages: filesWith(roles, 'page'),
    apiRoutes: filesWith(roles, 'api'),
    llmCalls: llmCalls.sort(byFileLineModule),
    filesWalked: walk.files.length,
    filesScanned,
    truncated: cut !== null,
    truncatedBy: cut,
    elapsedMs: Math.round(budget.elapsed() * 10) / 10,
  };
}

function roleContext(installDir: string, files: readonly string[], detected: Detected): RoleContext {
  const rootDirs = new Set<string>();
  for (const file of files) {
    const slash = file.indexOf('/');
    if (slash > 0) rootDirs.add(file.slice(0, slash));
  }
  return {
    framework: detected.framework,
    next: nextRouteDirs((name) => rootDirs.has(name)),
    packageEntries: files.includes('package.json') ? packageEntries(installDir) : new Set(),
  };
}

/**
 * Django's real settings module and root URLconf become entry points; every other `settings.py`
 * (an app's constants) stops being one.
 */
function applyDjangoEntries(root: string, detected: Detected, files: readonly string[], roles: Map<string, FileRole[]>): void {
  if (detected.framework !== 'django') return;
  const { settings, urls } = djangoEntries(root, files);
  const chosen = new Set([...settings, ...urls]);
  for (const [file, fileRoles] of roles) {
    if (!/(^|\/)settings\.py$/.test(file) || chosen.has(file) || !fileRoles.includes('entry')) continue;
    const rest = fileRoles.filter((role) => role !== 'entry');
    if (rest.length > 0) roles.set(file, rest);
    else roles.delete(file);
  }
  for (const file of chosen) {
    const fileRoles = roles.get(file) ?? [];
    if (!fileRoles.includes('entry')) roles.set(file, [...fileRoles, 'entry']);
  }
}

function filesWith(roles: ReadonlyMap<string, readonly FileRole[]>, role: FileRole): string[] {
  const out: string[] = [];
  for (const [file, fileRoles] of roles) if (fileRoles.includes(role)) out.push(file);
  return out.sort(byCodeUnit);
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function byFileLineModule(a: LlmCall, b: LlmCall): number {
  return byCodeUnit(a.file, b.file) || a.line - b.line || byCodeUnit(a.module, b.module);
}
