/**
 * Where a Next.js project keeps its routers. Next reads `app/` and `pages/` at the project root,
 * or under `src/` — but ignores `src/app` and `src/pages` as soon as either exists at the root.
 */
export interface NextRouteDirs {
  readonly app: string;
  readonly pages: string;
}

export function nextRouteDirs(hasRootDir: (name: 'app' | 'pages') => boolean): NextRouteDirs {
  const prefix = hasRootDir('app') || hasRootDir('pages') ? '' : 'src/';
  return { app: `${prefix}app`, pages: `${prefix}pages` };
}

/** A file that makes a route in the App Router (a page or a route handler) or lays one out. */
export const NEXT_APP_ROUTE_FILE = /^(page|route|layout)\.(jsx?|tsx?|mdx?)$/;

/** A module the Pages Router turns into a route. */
export const NEXT_PAGES_FILE = /^(?!.*\.d\.ts$).+\.(jsx?|tsx?|mdx)$/;
