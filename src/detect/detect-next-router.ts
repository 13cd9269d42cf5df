import type { NextRouter } from './detected.js';
import { NEXT_APP_ROUTE_FILE, NEXT_PAGES_FILE, nextRouteDirs } from './next-route-dirs.js';
import type { TimeBudget } from './time-budget.js';
import { walkFiles } from './walk-files.js';

export interface NextRouterDetection {
  readonly nextRouter: NextRouter | null;
  readonly evidence: string[];
}

/**
 * Which router a Next.js project uses, from the files in `app/` and `pages/`. An empty or
 * asset-only folder does not count: the router exists only if it has a route file. Each look is
 * bounded (2,000 files, 8 levels) and stops at the first route file.
 */
export async function detectNextRouter(dir: string, rootDirs: ReadonlySet<string>, srcDirs: ReadonlySet<string>, budget?: TimeBudget): Promise<NextRouterDetection> {
  const dirs = nextRouteDirs((name) => rootDirs.has(name));
  const present = (rel: string): boolean => (rel.startsWith('src/') ? srcDirs.has(rel.slice(4)) : rootDirs.has(rel));
  const app = present(dirs.app) ? await firstMatch(dir, dirs.app, NEXT_APP_ROUTE_FILE, budget) : null;
  const pages = present(dirs.pages) ? await firstMatch(dir, dirs.pages, NEXT_PAGES_FILE, budget) : null;
  const evidence = [app, pages].filter((file): file is string => file !== null);
  const nextRouter: NextRouter | null = app !== null && pages !== null ? 'both' : app !== null ? 'app' : pages !== null ? 'pages' : null;
  return { nextRouter, evidence };
}

async function firstMatch(dir: string, under: string, pattern: RegExp, budget: TimeBudget | undefined): Promise<string | null> {
  const matches = (file: string): boolean => pattern.test(file.slice(file.lastIndexOf('/') + 1));
  const { files } = await walkFiles(dir, { under, maxFiles: 2000, maxDepth: 8, budget, stopAt: matches });
  const last = files.at(-1);
  return last !== undefined && matches(last) ? last : null;
}
