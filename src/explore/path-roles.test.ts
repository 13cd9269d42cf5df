import { describe, expect, it } from 'vitest';
import type { FrameworkId } from '../detect/framework-id.js';
import { pathRoles, type FileRole } from './path-roles.js';

const ctx = (framework: FrameworkId | null, src = false) => ({
  framework,
  next: src ? { app: 'src/app', pages: 'src/pages' } : { app: 'app', pages: 'pages' },
  packageEntries: new Set(['bin/cli.js']),
});

const cases: Array<[FrameworkId, string, FileRole[]]> = [
  ['nextjs', 'app/layout.tsx', ['entry']],
  ['nextjs', 'app/dashboard/layout.tsx', []],
  ['nextjs', 'app/page.tsx', ['page']],
  ['nextjs', 'app/(shop)/cart/[id]/page.jsx', ['page']],
  ['nextjs', 'app/docs/page.mdx', ['page']],
  ['nextjs', 'app/_components/page.tsx', []],
  ['nextjs', 'app/api/chat/route.ts', ['api']],
  ['nextjs', 'app/feed.xml/route.js', ['api']],
  ['nextjs', 'pages/_app.tsx', ['entry']],
  ['nextjs', 'pages/_document.tsx', ['entry']],
  ['nextjs', 'pages/index.tsx', ['page']],
  ['nextjs', 'pages/blog/[slug].jsx', ['page']],
  ['nextjs', 'pages/api/hello.ts', ['api']],
  ['nextjs', 'pages/styles.css', []],
  ['nextjs', 'instrumentation-client.ts', ['entry']],
  ['nextjs', 'middleware.ts', ['entry']],
  ['nextjs', 'next.config.mjs', ['entry']],
  ['nextjs', 'components/button.tsx', []],
  ['nuxt', 'pages/index.vue', ['page']],
  ['nuxt', 'app/pages/about.vue', ['page']],
  ['nuxt', 'server/api/chat.post.ts', ['api']],
  ['nuxt', 'server/routes/sitemap.xml.ts', ['api']],
  ['nuxt', 'app.vue', ['entry']],
  ['nuxt', 'nuxt.config.ts', ['entry']],
  ['vue', 'src/views/HomeView.vue', ['page']],
  ['vue', 'src/main.ts', ['entry']],
  ['vue', 'src/components/Nav.vue', []],
  ['sveltekit', 'src/routes/+page.svelte', ['page']],
  ['sveltekit', 'src/routes/blog/[slug]/+page.svelte', ['page']],
  ['sveltekit', 'src/routes/api/chat/+server.ts', ['api']],
  ['sveltekit', 'src/routes/+layout.svelte', ['entry']],
  ['sveltekit', 'src/hooks.server.ts', ['entry']],
  ['sveltekit', 'src/routes/+page.server.ts', []],
  ['astro', 'src/pages/index.astro', ['page']],
  ['astro', 'src/pages/about.md', ['page']],
  ['astro', 'src/pages/rss.xml.ts', ['api']],
  ['astro', 'src/pages/_partials/card.astro', []],
  ['astro', 'src/layouts/Layout.astro', ['entry']],
  ['react-router', 'app/routes/home.tsx', ['page']],
  ['react-router', 'app/root.tsx', ['entry']],
  ['react-router', 'app/routes.ts', ['entry']],
  ['react-router', 'src/main.tsx', ['entry']],
  ['angular', 'src/main.ts', ['entry']],
  ['angular', 'src/app/app.component.ts', ['entry']],
  ['angular', 'src/app/app.ts', ['entry']],
  ['angular', 'src/app/pages/home/home.component.ts', ['page']],
  ['angular', 'src/app/features/pages/cart/cart.ts', ['page']],
  ['angular', 'src/app/pages/home/home.service.ts', []],
  ['react', 'src/pages/Home.tsx', ['page']],
  ['react', 'src/main.tsx', ['entry']],
  ['react', 'index.html', ['entry']],
  ['express', 'src/server.ts', ['entry']],
  ['express', 'bin/cli.js', ['entry']],
  ['express', 'routes/users.js', ['api']],
  ['node', 'index.mjs', ['entry']],
  ['javascript', 'index.html', ['entry']],
  ['javascript', 'about.html', ['page']],
  ['django', 'manage.py', ['entry']],
  ['django', 'mysite/settings.py', ['entry']],
  ['django', 'mysite/asgi.py', ['entry']],
  ['django', 'shop/views.py', ['page']],
  ['django', 'shop/views/cart.py', ['page']],
  ['django', 'shop/views/__init__.py', []],
  ['django', 'shop/models.py', []],
  ['flask', 'app.py', ['entry']],
  ['fastapi', 'app/main.py', ['entry']],
  ['fastapi', 'app/routers/items.py', ['api']],
  ['python', '__main__.py', ['entry']],
  ['rails', 'app/controllers/pages_controller.rb', ['page']],
  ['rails', 'app/controllers/api/v1/chat_controller.rb', ['api']],
  ['rails', 'app/controllers/application_controller.rb', ['entry']],
  ['rails', 'config/routes.rb', ['entry']],
  ['laravel', 'app/Http/Controllers/HomeController.php', ['page']],
  ['laravel', 'app/Http/Controllers/Api/ChatController.php', ['api']],
  ['laravel', 'app/Http/Controllers/Controller.php', []],
  ['laravel', 'routes/api.php', ['api']],
  ['laravel', 'routes/web.php', ['entry']],
];

describe('pathRoles', () => {
  it.each(cases)('%s: %s → %j', (framework, path, expected) => {
    expect(pathRoles(path, ctx(framework))).toEqual(expected);
  });

  it('uses src/app and src/pages for a Next.js project laid out under src/', () => {
    expect(pathRoles('src/app/page.tsx', ctx('nextjs', true))).toEqual(['page']);
    expect(pathRoles('src/app/layout.tsx', ctx('nextjs', true))).toEqual(['entry']);
    expect(pathRoles('src/instrumentation.ts', ctx('nextjs', true))).toEqual(['entry']);
    expect(pathRoles('app/page.tsx', ctx('nextjs', true))).toEqual([]);
  });

  it('finds nothing without a framework', () => {
    expect(pathRoles('app/page.tsx', ctx(null))).toEqual([]);
  });
});
