import type { FrameworkId } from '../detect/framework-id.js';
import { NEXT_PAGES_FILE, type NextRouteDirs } from '../detect/next-route-dirs.js';

/**
 * What a file is for, from its path alone, by each framework's file conventions:
 * - `entry`: where an SDK is initialised (root layout, `main.ts`, settings, the app factory);
 * - `page`: a file that renders a user-facing screen (a route component, a server-rendered
 *   view or controller);
 * - `api`: a file that answers machine requests (route handlers, endpoints, API controllers).
 * `content-roles.ts` refines these for frameworks whose routes are declared in code.
 */
export type FileRole = 'entry' | 'page' | 'api';

export interface RoleContext {
  readonly framework: FrameworkId | null;
  /** Where a Next.js project keeps `app/` and `pages/` (root or `src/`). */
  readonly next: NextRouteDirs;
  /** Files named by package.json `main` and `bin`, root-relative. */
  readonly packageEntries: ReadonlySet<string>;
}

type Rule = (path: string, ctx: RoleContext) => FileRole[];

/** `x.config.js`, `.mjs`, `.cjs`, `.ts`, `.mts`, `.cts` at the root. */
const config = (name: string): RegExp => new RegExp(String.raw`^${name}\.config\.[cm]?[jt]s$`);
const NEXT_CONFIG = config('next');
const NUXT_CONFIG = config('nuxt');
const SVELTE_CONFIG = config('svelte');
const ASTRO_CONFIG = config('astro');
const REACT_ROUTER_CONFIG = config('(react-router|remix)');

const nextjs: Rule = (p, { next }) => {
  const base = basename(p);
  if (p.startsWith(`${next.app}/`)) {
    if (p === `${next.app}/${base}` && /^layout\.[jt]sx?$/.test(base)) return ['entry'];
    if (hasPrivateSegment(p.slice(next.app.length + 1))) return [];
    if (/^page\.(jsx?|tsx?|mdx?)$/.test(base)) return ['page'];
    if (/^route\.[jt]s$/.test(base)) return ['api'];
    return [];
  }
  if (p.startsWith(`${next.pages}/`)) {
    if (!NEXT_PAGES_FILE.test(base)) return [];
    if (p.startsWith(`${next.pages}/api/`)) return ['api'];
    if (/^_(app|document)\./.test(base) && p === `${next.pages}/${base}`) return ['entry'];
    return base.startsWith('_') ? [] : ['page'];
  }
  if (/^(src\/)?(instrumentation|instrumentation-client|middleware|proxy)\.[jt]s$/.test(p) || NEXT_CONFIG.test(p)) return ['entry'];
  return [];
};

const nuxt: Rule = (p) => {
  if (/^(app\/)?pages\/.+\.vue$/.test(p)) return ['page'];
  if (/^server\/(api|routes)\/.+\.[cm]?[jt]s$/.test(p)) return ['api'];
  if (/^(app\/)?(app\.vue|layouts\/default\.vue)$/.test(p) || NUXT_CONFIG.test(p)) return ['entry'];
  return [];
};

const vue: Rule = (p) => {
  if (/^src\/(pages|views)\/.+\.vue$/.test(p)) return ['page'];
  if (/^src\/(main\.[jt]s|App\.vue)$/.test(p) || p === 'index.html') return ['entry'];
  return [];
};

const sveltekit: Rule = (p) => {
  if (/^src\/routes\/(.+\/)?\+page\.svelte$/.test(p)) return ['page'];
  if (/^src\/routes\/(.+\/)?\+server\.[jt]s$/.test(p)) return ['api'];
  if (/^src\/(hooks(\.server|\.client)?\.[jt]s|routes\/\+layout\.svelte|app\.html)$/.test(p) || SVELTE_CONFIG.test(p)) return ['entry'];
  return [];
};

const astro: Rule = (p) => {
  if (p.startsWith('src/pages/') && !hasPrivateSegment(p.slice('src/pages/'.length))) {
    if (/\.(astro|mdx?|html)$/.test(p)) return ['page'];
    if (/\.[jt]s$/.test(p)) return ['api'];
  }
  if (/^src\/(layouts\/[^/]+\.astro|middleware\.[jt]s)$/.test(p) || ASTRO_CONFIG.test(p)) return ['entry'];
  return [];
};

const reactRouter: Rule = (p) => {
  if (/^app\/routes\/.+\.[cm]?[jt]sx?$/.test(p) || /^src\/(routes|pages|views)\/.+\.[cm]?[jt]sx?$/.test(p)) return ['page'];
  if (/^app\/(root|entry\.client|entry\.server|routes)\.[cm]?[jt]sx?$/.test(p)) return ['entry'];
  if (/^src\/(main|index|App)\.[cm]?[jt]sx?$/.test(p) || REACT_ROUTER_CONFIG.test(p)) return ['entry'];
  return [];
};

const angular: Rule = (p) => {
  if (/^src\/app\/(.+\/)?(pages|views|routes)\/.+\.ts$/.test(p) && !/\.(service|module|routes|model|guard|resolver|interceptor|pipe|directive)\.ts$/.test(p)) return ['page'];
  if (/^src\/(main(\.server)?\.ts|index\.html|app\/app(\.component|\.config|\.module|\.routes)?\.ts)$/.test(p) || p === 'angular.json') return ['entry'];
  return [];
};

const react: Rule = (p) => {
  if (/^src\/(pages|routes|views|screens)\/.+\.[cm]?[jt]sx?$/.test(p)) return ['page'];
  if (/^src\/(main|index|App)\.[cm]?[jt]sx?$/.test(p) || p === 'index.html' || p === 'public/index.html') return ['entry'];
  return [];
};

const node: Rule = (p, ctx) => {
  if (ctx.packageEntries.has(p) || /^(src\/)?(server|app|index|main)\.[cm]?[jt]sx?$/.test(p)) return ['entry'];
  if (/^(src\/)?(routes|api|controllers)\/.+\.[cm]?[jt]sx?$/.test(p)) return ['api'];
  return [];
};

const javascript: Rule = (p, ctx) => {
  if (ctx.packageEntries.has(p) || p === 'index.html' || /^(src\/)?(index|main|app)\.[cm]?[jt]sx?$/.test(p)) return ['entry'];
  if (/^((src|pages)\/)?[^/]+\.html$/.test(p)) return ['page'];
  return [];
};

const django: Rule = (p) => {
  if (/^([^/]+\/)?manage\.py$/.test(p) || /(^|\/)(settings|wsgi|asgi)\.py$/.test(p)) return ['entry'];
  if (/(^|\/)views\.py$/.test(p) || /(^|\/)views\/(?!__init__\.py$)[^/]+\.py$/.test(p)) return ['page'];
  return [];
};

const flask: Rule = (p) => (/^(app|wsgi|main|application)\.py$/.test(p) ? ['entry'] : []);

const fastapi: Rule = (p) => {
  if (/^((app|src)\/)?main\.py$/.test(p)) return ['entry'];
  if (/(^|\/)(routers|endpoints)\/(?!__init__\.py$)[^/]+\.py$/.test(p)) return ['api'];
  return [];
};

const python: Rule = (p) => (/^(main|app|cli|__main__)\.py$/.test(p) || /^src\/[^/]+\/__main__\.py$/.test(p) ? ['entry'] : []);

const rails: Rule = (p) => {
  if (/^app\/controllers\/(.+\/)?[^/]+_controller\.rb$/.test(p) && p !== 'app/controllers/application_controller.rb') {
    return /^app\/controllers\/(.+\/)?api\//.test(p) ? ['api'] : ['page'];
  }
  if (/^(config\/(application|routes)\.rb|app\/controllers\/application_controller\.rb|app\/views\/layouts\/application\.html\.erb|app\/javascript\/application\.[jt]s)$/.test(p)) return ['entry'];
  return [];
};

const laravel: Rule = (p) => {
  if (p === 'routes/api.php' || /^app\/Http\/Controllers\/Api\/.+\.php$/i.test(p)) return ['api'];
  if (/^app\/Http\/Controllers\/(.+\/)?[^/]+Controller\.php$/.test(p)) return ['page'];
  if (/^(bootstrap\/app\.php|public\/index\.php|routes\/web\.php|resources\/views\/layouts\/[^/]+\.blade\.php|resources\/js\/app\.[jt]sx?)$/.test(p)) return ['entry'];
  return [];
};

const RULES: Readonly<Record<FrameworkId, Rule>> = {
  nextjs,
  nuxt,
  vue,
  sveltekit,
  astro,
  'react-router': reactRouter,
  angular,
  react,
  express: node,
  node,
  django,
  flask,
  fastapi,
  rails,
  laravel,
  javascript,
  python,
};

export function pathRoles(path: string, ctx: RoleContext): FileRole[] {
  return ctx.framework === null ? [] : RULES[ctx.framework](path, ctx);
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Next.js (`_components/`) and Astro (`_partials/`) keep `_`-prefixed folders and files out of routing. */
function hasPrivateSegment(relative: string): boolean {
  return relative.split('/').some((segment) => segment.startsWith('_'));
}
