import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { detectProjectDetails } from '../src/detect/index.js';
import { exploreRepo } from '../src/explore/index.js';
import { seedCandidates } from '../src/programs/integrate/seed-from-exploration.js';

/**
 * Detection and exploration over every fixture app and the Next.js example: the seed step's
 * view of real-looking projects, one per supported framework family.
 */
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const fixturesDir = join(repoRoot, 'test/fixtures/apps');

interface Expected {
  readonly framework: string;
  readonly packageManager: string;
  readonly nextRouter?: string;
  /** Where the app lives; `.` unless given. */
  readonly appDir?: string;
  readonly entryPoints: string[];
  readonly pages: string[];
  readonly apiRoutes: string[];
  /** `file module` pairs. */
  readonly llmCalls: string[];
}

const EXPECTED: Record<string, Expected> = {
  'examples/next-app': {
    framework: 'nextjs',
    packageManager: 'npm',
    nextRouter: 'app',
    entryPoints: ['app/layout.tsx', 'next.config.mjs'],
    pages: ['app/about/page.tsx', 'app/page.tsx'],
    apiRoutes: ['app/api/chat/route.ts', 'app/api/summarize/route.ts'],
    llmCalls: ['app/api/chat/route.ts openai', 'lib/llm.ts @ai-sdk/openai', 'lib/llm.ts ai'],
  },
  'angular-app': {
    framework: 'angular',
    packageManager: 'npm',
    entryPoints: ['angular.json', 'src/app/app.component.ts', 'src/app/app.config.ts', 'src/app/app.routes.ts', 'src/index.html', 'src/main.ts'],
    pages: ['src/app/pages/chat/chat.component.ts', 'src/app/pages/home/home.component.ts'],
    apiRoutes: [],
    llmCalls: ['src/app/services/llm.service.ts @google/generative-ai'],
  },
  'astro-app': {
    framework: 'astro',
    packageManager: 'pnpm',
    entryPoints: ['astro.config.mjs', 'src/layouts/Layout.astro'],
    pages: ['src/pages/about.md', 'src/pages/blog/first-post.astro', 'src/pages/index.astro'],
    apiRoutes: ['src/pages/api/chat.ts'],
    llmCalls: ['src/pages/api/chat.ts cohere-ai'],
  },
  'django-app': {
    framework: 'django',
    packageManager: 'pip',
    entryPoints: ['manage.py', 'mysite/settings.py', 'mysite/urls.py', 'mysite/wsgi.py'],
    pages: ['chat/views.py'],
    apiRoutes: ['api/views.py'],
    llmCalls: ['api/views.py openai'],
  },
  // The project's settings are the module manage.py names (a package), not the documents app's
  // constants module called settings.py; a view that renders and answers JSON is one candidate.
  'django-src-app': {
    framework: 'django',
    packageManager: 'uv',
    entryPoints: ['src/config/settings/__init__.py', 'src/config/urls.py', 'src/config/wsgi.py', 'src/manage.py'],
    pages: ['src/documents/views.py'],
    apiRoutes: ['src/documents/views.py'],
    llmCalls: ['src/documents/views.py anthropic'],
  },
  'express-app': {
    framework: 'express',
    packageManager: 'yarn',
    entryPoints: ['src/server.js'],
    pages: [],
    apiRoutes: ['src/routes/chat.js', 'src/routes/health.js'],
    llmCalls: ['src/lib/agent.cjs @langchain/openai', 'src/routes/chat.js @ai-sdk/openai', 'src/routes/chat.js ai'],
  },
  'fastapi-app': {
    framework: 'fastapi',
    packageManager: 'uv',
    entryPoints: ['app/main.py'],
    pages: [],
    apiRoutes: ['app/main.py', 'app/routers/chat.py', 'app/routers/items.py'],
    llmCalls: ['app/llm.py google.genai', 'app/routers/chat.py litellm'],
  },
  'flask-app': {
    framework: 'flask',
    packageManager: 'pipenv',
    entryPoints: ['app.py'],
    pages: ['app.py'],
    apiRoutes: ['api.py'],
    llmCalls: ['api.py langchain_openai'],
  },
  // A uv + npm workspace: FastAPI in backend/ serving the React app in frontend/.
  'fullstack-app': {
    framework: 'fastapi',
    packageManager: 'uv',
    appDir: 'backend',
    entryPoints: ['backend/app/main.py'],
    pages: [],
    apiRoutes: ['backend/app/routers/chat.py'],
    llmCalls: ['backend/app/routers/chat.py openai'],
  },
  'laravel-app': {
    framework: 'laravel',
    packageManager: 'composer',
    entryPoints: ['bootstrap/app.php', 'public/index.php', 'resources/js/app.js', 'resources/views/layouts/app.blade.php', 'routes/web.php'],
    pages: ['app/Http/Controllers/HomeController.php'],
    apiRoutes: ['app/Http/Controllers/Api/ChatController.php', 'routes/api.php'],
    llmCalls: ['app/Http/Controllers/Api/ChatController.php openai-php/client'],
  },
  'nuxt-app': {
    framework: 'nuxt',
    packageManager: 'bun',
    entryPoints: ['app.vue', 'nuxt.config.ts'],
    pages: ['pages/about.vue', 'pages/index.vue'],
    apiRoutes: ['server/api/chat.post.ts'],
    llmCalls: ['server/api/chat.post.ts @mistralai/mistralai'],
  },
  'rails-app': {
    framework: 'rails',
    packageManager: 'bundler',
    entryPoints: ['app/controllers/application_controller.rb', 'app/views/layouts/application.html.erb', 'config/application.rb', 'config/routes.rb'],
    pages: ['app/controllers/pages_controller.rb'],
    apiRoutes: ['app/controllers/api/chat_controller.rb'],
    llmCalls: ['app/controllers/api/chat_controller.rb openai'],
  },
  'react-app': {
    framework: 'react',
    packageManager: 'npm',
    entryPoints: ['index.html', 'src/App.tsx', 'src/main.tsx'],
    pages: ['src/pages/About.tsx', 'src/pages/Home.tsx'],
    apiRoutes: [],
    llmCalls: [],
  },
  'react-router-app': {
    framework: 'react-router',
    packageManager: 'npm',
    entryPoints: ['app/root.tsx', 'app/routes.ts', 'react-router.config.ts'],
    pages: ['app/routes/home.tsx'],
    apiRoutes: ['app/routes/api.chat.ts'],
    llmCalls: ['app/routes/api.chat.ts @ai-sdk/anthropic', 'app/routes/api.chat.ts ai'],
  },
  'sveltekit-app': {
    framework: 'sveltekit',
    packageManager: 'pnpm',
    entryPoints: ['src/hooks.server.ts', 'src/routes/+layout.svelte', 'svelte.config.js'],
    pages: ['src/routes/+page.svelte', 'src/routes/about/+page.svelte'],
    apiRoutes: ['src/routes/api/chat/+server.ts'],
    llmCalls: ['src/routes/api/chat/+server.ts @anthropic-ai/sdk'],
  },
  'vue-app': {
    framework: 'vue',
    packageManager: 'npm',
    entryPoints: ['index.html', 'src/App.vue', 'src/main.ts'],
    pages: ['src/views/ChatView.vue', 'src/views/HomeView.vue'],
    apiRoutes: [],
    llmCalls: ['src/views/ChatView.vue ollama'],
  },
};

function appDir(name: string): string {
  return name.startsWith('examples/') ? join(repoRoot, name) : join(fixturesDir, name);
}

/**
 * Every file under `dir`, dot files included, with its content hash. `.drover/` is left out: it
 * is the default state directory of `drover run`, which other suites may point at these apps
 * while this one runs; the static check below covers it instead.
 */
function hashTree(dir: string): Map<string, string> {
  const hashes = new Map<string, string>();
  for (const rel of readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()) {
    if (rel === '.drover' || rel.startsWith(`.drover${sep}`)) continue;
    const file = join(dir, rel);
    if (statSync(file).isFile()) hashes.set(rel, createHash('sha256').update(readFileSync(file)).digest('hex'));
  }
  return hashes;
}

describe('fixture apps', () => {
  it('has an expectation for every fixture app', () => {
    const onDisk = readdirSync(fixturesDir).sort();
    expect(Object.keys(EXPECTED).filter((name) => !name.startsWith('examples/')).sort()).toEqual(onDisk);
    expect(onDisk.length).toBeGreaterThanOrEqual(3);
  });

  it.each(Object.entries(EXPECTED))('%s', async (name, expected) => {
    const dir = appDir(name);
    const details = await detectProjectDetails(dir);
    expect({ framework: details.framework, packageManager: details.packageManager, nextRouter: details.nextRouter, appDir: details.appDir }).toEqual({
      framework: expected.framework,
      packageManager: expected.packageManager,
      nextRouter: expected.nextRouter,
      appDir: expected.appDir ?? '.',
    });

    const exploration = await exploreRepo(dir, details);
    expect({
      entryPoints: exploration.entryPoints,
      pages: exploration.pages,
      apiRoutes: exploration.apiRoutes,
      llmCalls: exploration.llmCalls.map((call) => `${call.file} ${call.module}`),
    }).toEqual({ entryPoints: expected.entryPoints, pages: expected.pages, apiRoutes: expected.apiRoutes, llmCalls: expected.llmCalls });
    expect(exploration.truncated).toBe(false);
    for (const call of exploration.llmCalls) expect(call.line).toBeGreaterThan(0);
  });

  it.each(Object.keys(EXPECTED))('%s is left byte-for-byte unchanged', async (name) => {
    const dir = appDir(name);
    const before = hashTree(dir);
    const detected = await detectProjectDetails(dir);
    await exploreRepo(dir, detected);
    expect(hashTree(dir)).toEqual(before);
  });

  it('a candidate that is both a page and an API route is seeded once', async () => {
    const dir = appDir('django-src-app');
    const exploration = await exploreRepo(dir, await detectProjectDetails(dir));
    expect(seedCandidates(exploration)).toEqual(['src/documents/views.py']);
  });

  it('src/detect and src/explore use no file-writing API', () => {
    const writing = /\b(?:writeFile|appendFile|mkdir|mkdtemp|rmSync|rm|rmdir|unlink|rename|copyFile|cp|symlink|link|truncate|ftruncate|utimes|chmod|chown|createWriteStream)(?:Sync)?\s*\(|openSync\([^)]*['"][wa+]/;
    for (const folder of ['src/detect', 'src/explore']) {
      for (const rel of readdirSync(join(repoRoot, folder), { recursive: true, encoding: 'utf8' })) {
        if (!rel.endsWith('.ts') || rel.endsWith('.test.ts')) continue;
        expect(readFileSync(join(repoRoot, folder, rel), 'utf8'), `${folder}/${rel}`).not.toMatch(writing);
      }
    }
  });
});

describe('workspaces', () => {
  const workspace = (name: string): string => join(repoRoot, 'test/fixtures/workspaces', name);

  it('lists the apps of a workspace with several and chooses none', async () => {
    const details = await detectProjectDetails(workspace('several-apps'));
    expect(details.layout.kind).toBe('apps');
    expect(details.layout.apps).toEqual([
      { dir: 'apps/api', framework: 'express' },
      { dir: 'apps/web', framework: 'nextjs' },
    ]);
    expect(details.layout.workspace?.tools).toEqual(['pnpm', 'turbo']);
    // The root's devDependency on next is the monorepo's tooling, not an app at the root.
    expect(details.appDir).toBe('.');
    expect(details.framework).not.toBe('nextjs');
  });

  it('detects the app a user chooses with app', async () => {
    const details = await detectProjectDetails(workspace('several-apps'), { app: 'apps/web' });
    expect({ framework: details.framework, packageManager: details.packageManager, appDir: details.appDir, nextRouter: details.nextRouter }).toEqual({
      framework: 'nextjs',
      packageManager: 'pnpm',
      appDir: 'apps/web',
      nextRouter: 'app',
    });
    const exploration = await exploreRepo(workspace('several-apps'), details);
    expect(exploration.pages).toEqual(['apps/web/app/page.tsx']);
  });

  it('says a workspace of packages with examples is a library, and lists the examples', async () => {
    const details = await detectProjectDetails(workspace('library'));
    expect(details.layout.kind).toBe('library');
    expect(details.layout.apps).toEqual([]);
    expect(details.layout.examples).toEqual([{ dir: 'examples/next-chat', framework: 'nextjs' }]);
    expect({ framework: details.framework, packageManager: details.packageManager, appDir: details.appDir }).toEqual({ framework: 'node', packageManager: 'npm', appDir: '.' });
  });

  it('rejects an app folder outside the install directory', async () => {
    await expect(detectProjectDetails(workspace('several-apps'), { app: '../library' })).rejects.toThrow(/outside the install directory/);
    await expect(detectProjectDetails(workspace('several-apps'), { app: 'apps/nope' })).rejects.toThrow(/no such folder/);
  });
});
