import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../errors/input-error.js';
import { exploreRepo } from './explore-repo.js';
import { planScan } from './plan-scan.js';

let root: string;

function writeTree(files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), content);
  }
}

function listAll(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

const NEXT = { framework: 'nextjs', packageManager: 'npm' } as const;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'drover-explore-'));
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('exploreRepo', () => {
  it('finds entry points, pages, API routes and LLM calls, sorted, with POSIX paths', async () => {
    writeTree({
      'package.json': '{"dependencies":{"next":"15"}}',
      'app/layout.tsx': 'export default function L() {}',
      'app/page.tsx': 'export default function P() {}',
      'app/b/page.tsx': '',
      'app/a/page.tsx': '',
      'app/api/chat/route.ts': "import OpenAI from 'openai';\nexport async function POST() {}",
      'lib/llm.ts': "import { generateText } from 'ai';\nimport { anthropic } from '@ai-sdk/anthropic';",
      'lib/types.ts': "import type { ChatCompletion } from 'openai/resources';",
      'lib/llm.test.ts': "import OpenAI from 'openai';",
      'node_modules/openai/index.js': "import x from 'openai';",
      '.next/server/app/page.js': "require('openai')",
      'dist/bundle.js': "require('openai')",
    });
    const result = await exploreRepo(root, NEXT);
    expect(result.entryPoints).toEqual(['app/layout.tsx']);
    expect(result.pages).toEqual(['app/a/page.tsx', 'app/b/page.tsx', 'app/page.tsx']);
    expect(result.apiRoutes).toEqual(['app/api/chat/route.ts']);
    expect(result.llmCalls).toEqual([
      { file: 'app/api/chat/route.ts', line: 1, provider: 'openai', module: 'openai' },
      { file: 'lib/llm.ts', line: 1, provider: 'vercel-ai', module: 'ai' },
      { file: 'lib/llm.ts', line: 2, provider: 'vercel-ai', module: '@ai-sdk/anthropic' },
    ]);
    expect(result.filesWalked).toBe(9);
    expect(result.filesScanned).toBe(7);
    expect(result.truncated).toBe(false);
    expect(result.truncatedBy).toBeNull();
    expect(result.elapsedMs).toBeGreaterThanOrEqual(0);
  });

  it('writes nothing into the project', async () => {
    writeTree({ 'package.json': '{}', 'app/page.tsx': "import OpenAI from 'openai';" });
    const before = listAll(root);
    await exploreRepo(root, NEXT);
    expect(listAll(root)).toEqual(before);
  });

  it('reads only the head of each file', async () => {
    writeTree({ 'lib/late.ts': `${'// padding\n'.repeat(200)}import OpenAI from 'openai';\n`, 'lib/early.ts': "import OpenAI from 'openai';\n" });
    const result = await exploreRepo(root, NEXT, { maxFileBytes: 1024 });
    expect(result.llmCalls.map((call) => call.file)).toEqual(['lib/early.ts']);
  });

  it('skips symbolic links', async () => {
    writeTree({ 'real.ts': "import OpenAI from 'openai';" });
    symlinkSync(join(root, 'real.ts'), join(root, 'link.ts'));
    const result = await exploreRepo(root, NEXT);
    expect(result.llmCalls.map((call) => call.file)).toEqual(['real.ts']);
  });

  it('marks the result truncated when the file cap cuts the walk', async () => {
    writeTree({ 'a.ts': '', 'b.ts': '', 'c.ts': '' });
    const result = await exploreRepo(root, NEXT, { maxFiles: 2 });
    expect(result).toMatchObject({ filesWalked: 2, truncated: true, truncatedBy: 'max-files' });
  });

  it('marks the result truncated when the time budget runs out', async () => {
    writeTree({ 'a.ts': '', 'b/c.ts': '' });
    let t = 0;
    const result = await exploreRepo(root, NEXT, { timeBudgetMs: 3, now: () => (t += 1) });
    expect(result).toMatchObject({ truncated: true, truncatedBy: 'time-budget' });
  });

  it('stops when aborted', async () => {
    writeTree({ 'a.ts': '' });
    const controller = new AbortController();
    controller.abort();
    const result = await exploreRepo(root, NEXT, { signal: controller.signal });
    expect(result).toMatchObject({ filesScanned: 0, truncated: true, truncatedBy: 'aborted' });
  });

  it('adds the package.json main and bin of a Node project', async () => {
    writeTree({
      'package.json': JSON.stringify({ main: './lib/start.js', bin: { tool: 'bin/tool.js' } }),
      'lib/start.js': '',
      'bin/tool.js': '',
      'routes/users.js': "router.get('/users', (req, res) => res.json([]));",
    });
    const result = await exploreRepo(root, { framework: 'node', packageManager: 'npm' });
    expect(result.entryPoints).toEqual(['bin/tool.js', 'lib/start.js']);
    expect(result.apiRoutes).toEqual(['routes/users.js']);
  });

  it("adds Django's root URLconf beside the settings module", async () => {
    writeTree({ 'manage.py': '', 'site/settings.py': '', 'site/urls.py': '', 'shop/urls.py': '' });
    const result = await exploreRepo(root, { framework: 'django', packageManager: 'pip' });
    expect(result.entryPoints).toEqual(['manage.py', 'site/settings.py', 'site/urls.py']);
  });

  it("takes the settings module manage.py names, not an app's own settings.py of constants", async () => {
    // paperless-ngx: src/manage.py names paperless.settings; src/documents/settings.py is a constants module.
    writeTree({
      'src/manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "paperless.settings")\n',
      'src/paperless/settings.py': 'INSTALLED_APPS = ["documents"]\nROOT_URLCONF = "paperless.urls"\n',
      'src/paperless/urls.py': '',
      'src/documents/settings.py': 'ORIGINALS_DIR = "originals"\n',
      'src/documents/urls.py': '',
    });
    const result = await exploreRepo(root, { framework: 'django', packageManager: 'pip' });
    expect(result.entryPoints).toEqual(['src/manage.py', 'src/paperless/settings.py', 'src/paperless/urls.py']);
  });

  it('without a framework, still finds LLM calls', async () => {
    writeTree({ 'main.go': '', 'scripts/ask.py': 'import anthropic\n' });
    const result = await exploreRepo(root, { framework: null, packageManager: null });
    expect(result).toMatchObject({ entryPoints: [], pages: [], apiRoutes: [], llmCalls: [{ file: 'scripts/ask.py', line: 1, provider: 'anthropic', module: 'anthropic' }] });
  });

  it('fails with an InputError for a missing directory', async () => {
    await expect(exploreRepo(join(root, 'missing'), NEXT)).rejects.toBeInstanceOf(InputError);
  });
});

describe('planScan', () => {
  it('reads convention files, then LLM-looking paths, then modules, then components; never tests or non-source files', () => {
    const ctx = { framework: 'nextjs' as const, next: { app: 'app', pages: 'pages' }, packageEntries: new Set<string>() };
    const files = ['a.ts', 'README.md', 'x.test.ts', 'components/Button.tsx', 'app/page.tsx', 'b.py', 'lib/llm.ts', 'server/ai/chat.py', 'app/api/x/route.ts'];
    const plan = planScan(files, ctx);
    expect(plan.queue.map(([file]) => file)).toEqual(['app/page.tsx', 'app/api/x/route.ts', 'lib/llm.ts', 'server/ai/chat.py', 'a.ts', 'b.py', 'components/Button.tsx']);
    expect([...plan.roles]).toEqual([
      ['app/page.tsx', ['page']],
      ['app/api/x/route.ts', ['api']],
    ]);
  });
});
