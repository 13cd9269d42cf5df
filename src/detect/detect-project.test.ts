import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../errors/input-error.js';
import { detectProject, detectProjectDetails } from './detect-project.js';

let root: string;

function writeTree(files: Record<string, string>, base = root): string {
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(dirname(join(base, rel)), { recursive: true });
    writeFileSync(join(base, rel), content);
  }
  return base;
}

function pkg(dependencies: Record<string, string> = {}, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ name: 'app', dependencies, ...extra });
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'drover-detect-'));
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('detectProject: frameworks', () => {
  const cases: Array<[string, Record<string, string>, string | null]> = [
    ['Next.js over react', { 'package.json': pkg({ next: '15', react: '19', 'react-dom': '19' }) }, 'nextjs'],
    ['Next.js from its config alone', { 'package.json': pkg(), 'next.config.ts': '' }, 'nextjs'],
    ['Nuxt over vue', { 'package.json': pkg({ nuxt: '4', vue: '3' }) }, 'nuxt'],
    ['SvelteKit over svelte', { 'package.json': pkg({ svelte: '5' }, { devDependencies: { '@sveltejs/kit': '2' } }) }, 'sveltekit'],
    ['SvelteKit from svelte.config', { 'package.json': pkg({ svelte: '5' }), 'svelte.config.js': "import adapter from '@sveltejs/adapter-node';" }, 'sveltekit'],
    ['plain Svelte is browser JavaScript', { 'package.json': pkg({ svelte: '5' }), 'svelte.config.js': 'export default {};' }, 'javascript'],
    ['Astro over react', { 'package.json': pkg({ astro: '5', react: '19' }) }, 'astro'],
    ['React Router framework mode', { 'package.json': pkg({ 'react-router': '7', react: '19' }), 'react-router.config.ts': '' }, 'react-router'],
    ['React Router library mode', { 'package.json': pkg({ 'react-router-dom': '6', react: '18' }) }, 'react-router'],
    ['Remix', { 'package.json': pkg({ '@remix-run/react': '2', react: '18' }) }, 'react-router'],
    ['Angular', { 'package.json': pkg({ '@angular/core': '20' }) }, 'angular'],
    ['Angular from angular.json', { 'angular.json': '{}' }, 'angular'],
    ['Vue', { 'package.json': pkg({ vue: '3' }) }, 'vue'],
    ['React', { 'package.json': pkg({ react: '19', 'react-dom': '19' }) }, 'react'],
    ['React Native is not web React', { 'package.json': pkg({ react: '19', 'react-native': '0.80' }) }, 'node'],
    ['Express over node', { 'package.json': pkg({ express: '5' }) }, 'express'],
    ['React with an Express server is React', { 'package.json': pkg({ express: '5', react: '19' }) }, 'react'],
    ['Node', { 'package.json': pkg({ fastify: '5' }) }, 'node'],
    ['browser JavaScript with a bundler', { 'package.json': pkg({}, { devDependencies: { vite: '7' } }) }, 'javascript'],
    ['browser JavaScript without package.json', { 'index.html': '<html></html>', 'main.js': '' }, 'javascript'],
    ['Django from requirements', { 'requirements.txt': 'Django>=5\n' }, 'django'],
    ['Django from manage.py', { 'manage.py': 'from django.core.management import execute_from_command_line' }, 'django'],
    ['Django one level down', { 'backend/manage.py': 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "x")' }, 'django'],
    ['a manage.py that is not Django', { 'manage.py': 'print("hi")' }, 'python'],
    ['Flask from Pipfile', { Pipfile: '[packages]\nflask = "*"\n' }, 'flask'],
    ['Flask from an import alone', { 'app.py': 'from flask import Flask\napp = Flask(__name__)\n' }, 'flask'],
    ['FastAPI from pyproject', { 'pyproject.toml': '[project]\ndependencies = ["fastapi>=0.115"]\n' }, 'fastapi'],
    ['Django over Flask', { 'requirements.txt': 'flask\ndjango\n' }, 'django'],
    ['Rails', { Gemfile: 'source "https://rubygems.org"\ngem "rails", "~> 8.0"\n' }, 'rails'],
    ['Rails from config/application.rb', { 'config/application.rb': 'module A\n  class Application < Rails::Application\n  end\nend\n' }, 'rails'],
    ['Rails with React is Rails', { Gemfile: "gem 'rails'\n", 'package.json': pkg({ react: '19' }) }, 'rails'],
    ['Laravel with Vue is Laravel', { 'composer.json': JSON.stringify({ require: { 'laravel/framework': '^12' } }), 'package.json': pkg({ vue: '3' }) }, 'laravel'],
    ['Laravel from artisan', { artisan: '#!/usr/bin/env php\n<?php\nuse Illuminate\\Foundation\\Application;\n' }, 'laravel'],
    ['Django with a tooling package.json is Django', { 'manage.py': 'import django', 'package.json': pkg({}, { devDependencies: { tailwindcss: '4' } }) }, 'django'],
    ['Python with a tooling package.json is Python', { 'pyproject.toml': '[project]\nname = "lib"\n', 'package.json': pkg({}, { devDependencies: { prettier: '3' } }) }, 'python'],
    ['Node with a requirements.txt for docs is Node', { 'package.json': pkg({ commander: '14' }), 'requirements.txt': 'mkdocs\n' }, 'node'],
    ['a Gemfile without Rails matches nothing', { Gemfile: 'gem "sinatra"\n' }, null],
    ['an empty directory', {}, null],
  ];

  it.each(cases)('%s', async (_name, files, expected) => {
    writeTree(files);
    expect((await detectProject(root)).framework).toBe(expected);
  });

  it('lists every match in precedence order and explains the winner', async () => {
    writeTree({ 'package.json': pkg({ next: '15', react: '19' }), 'next.config.mjs': '' });
    const details = await detectProjectDetails(root);
    expect(details.matched).toEqual(['nextjs', 'react', 'node']);
    expect(details.evidence).toContain('package.json: dependency "next"');
    expect(details.evidence).toContain('next.config.mjs');
  });

  it('does not look for manage.py in subfolders of a JavaScript project', async () => {
    writeTree({ 'package.json': pkg({ react: '19' }), 'backend/manage.py': 'import django' });
    expect((await detectProject(root)).framework).toBe('react');
  });

  it('survives an invalid package.json and says so', async () => {
    writeTree({ 'package.json': '{ "dependencies": ', 'next.config.js': '' });
    const details = await detectProjectDetails(root);
    expect(details.framework).toBe('nextjs');
    expect(details.evidence).toContain('package.json: not valid JSON, dependencies ignored');
  });

  it('fails with an InputError naming a missing install directory', async () => {
    const missing = join(root, 'nope');
    await expect(detectProject(missing)).rejects.toBeInstanceOf(InputError);
    await expect(detectProject(missing)).rejects.toThrow(`${missing}: install directory not found`);
  });

  it('fails with an InputError when the install directory is a file', async () => {
    writeTree({ 'file.txt': '' });
    await expect(detectProject(join(root, 'file.txt'))).rejects.toThrow(/is not a directory/);
  });
});

describe('detectProjectDetails: Next.js router', () => {
  const base = { 'package.json': pkg({ next: '15', react: '19' }) };

  it('app router', async () => {
    writeTree({ ...base, 'app/layout.tsx': '', 'app/(shop)/cart/page.tsx': '' });
    expect((await detectProjectDetails(root)).nextRouter).toBe('app');
  });

  it('pages router', async () => {
    writeTree({ ...base, 'pages/index.tsx': '', 'pages/api/hello.ts': '' });
    expect((await detectProjectDetails(root)).nextRouter).toBe('pages');
  });

  it('both while migrating', async () => {
    writeTree({ ...base, 'app/dashboard/page.tsx': '', 'pages/index.jsx': '' });
    expect((await detectProjectDetails(root)).nextRouter).toBe('both');
  });

  it('under src/', async () => {
    writeTree({ ...base, 'src/app/page.tsx': '' });
    expect((await detectProjectDetails(root)).nextRouter).toBe('app');
  });

  it('ignores src/ when a root router folder exists, as Next does', async () => {
    writeTree({ ...base, 'pages/index.tsx': '', 'src/app/page.tsx': '' });
    expect((await detectProjectDetails(root)).nextRouter).toBe('pages');
  });

  it('a folder without route files is not a router', async () => {
    writeTree({ ...base, 'app/styles.css': '', 'pages/types.d.ts': '' });
    expect((await detectProjectDetails(root)).nextRouter).toBeUndefined();
  });

  it('is absent for other frameworks', async () => {
    writeTree({ 'package.json': pkg({ react: '19' }), 'pages/index.tsx': '' });
    expect('nextRouter' in (await detectProjectDetails(root))).toBe(false);
  });
});

describe('detectProject: package managers', () => {
  const js = { 'package.json': pkg({ react: '19' }) };
  const cases: Array<[string, Record<string, string>, string | null]> = [
    ['package.json alone → npm', js, 'npm'],
    ['package-lock.json', { ...js, 'package-lock.json': '{}' }, 'npm'],
    ['pnpm-lock.yaml', { ...js, 'pnpm-lock.yaml': '' }, 'pnpm'],
    ['yarn.lock', { ...js, 'yarn.lock': '' }, 'yarn'],
    ['bun.lock', { ...js, 'bun.lock': '' }, 'bun'],
    ['bun.lockb', { ...js, 'bun.lockb': '' }, 'bun'],
    ['pnpm wins over a stray package-lock.json', { ...js, 'pnpm-lock.yaml': '', 'package-lock.json': '{}' }, 'pnpm'],
    ['the packageManager field wins over lockfiles', { 'package.json': pkg({ react: '19' }, { packageManager: 'yarn@4.9.0' }), 'package-lock.json': '{}' }, 'yarn'],
    ['requirements.txt → pip', { 'requirements.txt': 'flask\n' }, 'pip'],
    ['Python files only → pip', { 'main.py': 'print(1)' }, 'pip'],
    ['poetry.lock', { 'pyproject.toml': '[project]\ndependencies = ["flask"]\n', 'poetry.lock': '' }, 'poetry'],
    ['[tool.poetry]', { 'pyproject.toml': '[tool.poetry]\nname = "x"\n[tool.poetry.dependencies]\nflask = "*"\n' }, 'poetry'],
    ['uv.lock', { 'pyproject.toml': '[project]\ndependencies = ["flask"]\n', 'uv.lock': '' }, 'uv'],
    ['[tool.uv]', { 'pyproject.toml': '[project]\ndependencies = ["flask"]\n[tool.uv]\ndev-dependencies = []\n' }, 'uv'],
    ['Pipfile → pipenv', { Pipfile: '[packages]\nflask = "*"\n' }, 'pipenv'],
    ['Gemfile → bundler', { Gemfile: 'gem "rails"\n' }, 'bundler'],
    ['composer.json → composer', { 'composer.json': JSON.stringify({ require: { 'laravel/framework': '^12' } }) }, 'composer'],
    ['the framework decides the ecosystem: Django with yarn tooling → pip', { 'requirements.txt': 'django\n', 'package.json': pkg(), 'yarn.lock': '' }, 'pip'],
    ['nothing → null', {}, null],
  ];

  it.each(cases)('%s', async (_name, files, expected) => {
    writeTree(files);
    expect((await detectProject(root)).packageManager).toBe(expected);
  });

  it('with no framework, still reports the manifest it found', async () => {
    writeTree({ Gemfile: 'gem "sinatra"\n' });
    expect(await detectProject(root)).toEqual({ framework: null, packageManager: 'bundler', appDir: '.' });
  });

  it('takes a pnpm workspace root lockfile for a package inside it', async () => {
    writeTree({ 'pnpm-workspace.yaml': "packages: ['apps/*']\n", 'pnpm-lock.yaml': '', 'package.json': pkg(), 'apps/web/package.json': pkg({ next: '15' }) });
    const details = await detectProjectDetails(join(root, 'apps/web'));
    expect(details.packageManager).toBe('pnpm');
    expect(details.evidence.some((line) => line.startsWith('workspace root'))).toBe(true);
  });

  it('takes the packageManager field of an npm/yarn workspace root', async () => {
    writeTree({ 'package.json': pkg({}, { workspaces: ['apps/*'], packageManager: 'yarn@4.9.0' }), 'apps/web/package.json': pkg({ react: '19' }) });
    expect((await detectProject(join(root, 'apps/web'))).packageManager).toBe('yarn');
  });

  it('ignores a lockfile in an ancestor that is not a workspace root', async () => {
    writeTree({ 'yarn.lock': '', 'package.json': pkg(), 'apps/web/package.json': pkg({ react: '19' }) });
    expect((await detectProject(join(root, 'apps/web'))).packageManager).toBe('npm');
  });

  it('does not climb when told not to', async () => {
    writeTree({ 'pnpm-workspace.yaml': '', 'pnpm-lock.yaml': '', 'apps/web/package.json': pkg({ react: '19' }) });
    expect((await detectProject(join(root, 'apps/web'), { searchParents: false })).packageManager).toBe('npm');
  });

  it('does not climb past a repository root', async () => {
    writeTree({ 'pnpm-workspace.yaml': '', 'pnpm-lock.yaml': '', 'repo/.git/HEAD': '', 'repo/app/package.json': pkg({ react: '19' }) });
    expect((await detectProject(join(root, 'repo/app'))).packageManager).toBe('npm');
  });

  it('takes uv for a member of a uv workspace', async () => {
    writeTree({ 'pyproject.toml': '[tool.uv.workspace]\nmembers = ["packages/*"]\n', 'packages/api/pyproject.toml': '[project]\ndependencies = ["fastapi"]\n' });
    expect(await detectProject(join(root, 'packages/api'))).toEqual({ framework: 'fastapi', packageManager: 'uv', appDir: '.' });
  });
});

describe('detectProject: where the app lives', () => {
  it('finds an app in a conventional subfolder when the root has none', async () => {
    writeTree({ 'README.md': '# shop\n', 'server/package.json': pkg({ express: '^5.0.0' }), 'server/package-lock.json': '{}' });
    expect(await detectProject(root)).toEqual({ framework: 'express', packageManager: 'npm', appDir: 'server' });
  });

  it('chooses the server app over the browser app it serves', async () => {
    writeTree({
      'backend/manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings")\n',
      'backend/requirements.txt': 'Django>=5\n',
      'frontend/package.json': pkg({ react: '^19.0.0', 'react-dom': '^19.0.0' }),
    });
    const details = await detectProjectDetails(root);
    expect({ framework: details.framework, appDir: details.appDir, kind: details.layout.kind }).toEqual({ framework: 'django', appDir: 'backend', kind: 'app' });
    expect(details.layout.apps.map((app) => app.dir)).toEqual(['backend', 'frontend']);
  });

  it('lists a root with code of its own and an app in a subfolder as two apps', async () => {
    writeTree({ 'agent.py': 'import langgraph\n', 'pyproject.toml': '[project]\nname = "agent"\ndependencies = ["langgraph"]\n', 'frontend/package.json': pkg({ next: '^15.0.0' }) });
    const details = await detectProjectDetails(root);
    expect(details.layout.kind).toBe('apps');
    expect(details.layout.apps).toEqual([
      { dir: '.', framework: 'python' },
      { dir: 'frontend', framework: 'nextjs' },
    ]);
    expect(details.framework).toBe('python');
  });

  it('keeps a root app even when the root declares a workspace for its tooling', async () => {
    writeTree({ 'package.json': pkg({}, { devDependencies: { nuxt: '^3.0.0' } }), 'nuxt.config.ts': 'export default {}\n', 'pnpm-workspace.yaml': 'packages:\n  - proxy\n', 'proxy/package.json': pkg() });
    expect(await detectProject(root)).toEqual({ framework: 'nuxt', packageManager: 'pnpm', appDir: '.' });
  });

  it('does not take a published component library in packages/ for an app', async () => {
    writeTree({ 'package.json': JSON.stringify({ name: 'root', private: true, workspaces: ['packages/*'] }), 'packages/ui/package.json': pkg({ react: '^19.0.0' }, { exports: './index.js' }) });
    const details = await detectProjectDetails(root);
    expect({ kind: details.layout.kind, framework: details.framework }).toEqual({ kind: 'library', framework: 'node' });
  });
});

describe('detectProject: runtime dependencies decide', () => {
  it('does not take a Python library that tests against FastAPI, or offers it as an extra, for a FastAPI app', async () => {
    writeTree({ 'pyproject.toml': '[project]\nname = "sdk"\ndependencies = ["httpx"]\n\n[project.optional-dependencies]\nserver = ["fastapi"]\n\n[dependency-groups]\ndev = ["fastapi", "django"]\n' });
    expect((await detectProject(root)).framework).toBe('python');
  });

  it('lists a runtime framework dependency among the apps of an Nx workspace only when no member is an app', async () => {
    writeTree({
      'package.json': JSON.stringify({ name: 'nx-root', workspaces: ['apps/*'], dependencies: { react: '^19.0.0', 'react-dom': '^19.0.0' } }),
      'nx.json': '{}',
      'apps/shop/package.json': JSON.stringify({ name: 'shop', private: true }),
      'apps/admin/package.json': JSON.stringify({ name: 'admin', private: true }),
    });
    const details = await detectProjectDetails(root);
    expect(details.layout.kind).toBe('apps');
    expect(details.layout.apps.map((app) => app.dir)).toEqual(['apps/admin', 'apps/shop']);
  });
});
