import type { FrameworkId } from './framework-id.js';
import type { ProjectFacts } from './read-project-facts.js';

/**
 * One rule per framework. A rule returns the evidence that matched (empty: no match); the
 * first matching rule in `FRAMEWORK_RULES` order wins.
 *
 * Precedence, and why:
 * 1. Meta-frameworks before the libraries they are built on: Next.js and React Router apps also
 *    depend on react, Nuxt on vue, SvelteKit on svelte, Astro often on react or vue.
 * 2. Server frameworks with their own manifest (Rails, Laravel, Django, Flask, FastAPI) before
 *    plain Vue and React: in a Laravel + Inertia or Rails + jsbundling app, Vue or React is the
 *    view layer the backend bundles, and the backend is what owns routes and entry points.
 * 3. Vue and React, then Express: a React app with a small Express server is a React app.
 * 4. The generic fallbacks come last and are ordered in `detect-framework.ts`.
 */
export interface FrameworkRule {
  readonly id: FrameworkId;
  readonly match: (facts: ProjectFacts) => string[];
}

export const FRAMEWORK_RULES: readonly FrameworkRule[] = [
  { id: 'nextjs', match: (f) => [...deps(f, 'next'), ...configs(f, /^next\.config\.[cm]?[jt]s$/)] },
  { id: 'nuxt', match: (f) => [...deps(f, 'nuxt', 'nuxt3', 'nuxt-edge'), ...configs(f, /^nuxt\.config\.[cm]?[jt]s$/)] },
  {
    id: 'sveltekit',
    match: (f) => [...deps(f, '@sveltejs/kit'), ...(f.svelteConfigMentionsKit ? ['svelte.config: uses @sveltejs/kit'] : [])],
  },
  { id: 'astro', match: (f) => [...deps(f, 'astro'), ...configs(f, /^astro\.config\.[cm]?[jt]s$/)] },
  {
    id: 'react-router',
    match: (f) => [
      ...deps(f, '@react-router/dev', '@react-router/node', '@react-router/serve', 'react-router', 'react-router-dom', 'remix'),
      ...depsWithPrefix(f, '@remix-run/'),
      ...configs(f, /^(react-router|remix)\.config\.[cm]?[jt]s$/),
    ],
  },
  { id: 'angular', match: (f) => [...deps(f, '@angular/core'), ...configs(f, /^angular\.json$/)] },
  { id: 'rails', match: railsEvidence },
  { id: 'laravel', match: laravelEvidence },
  { id: 'django', match: (f) => [...pythonEvidence(f, 'django'), ...(f.djangoManagePy === null ? [] : [`${f.djangoManagePy}: mentions Django`])] },
  { id: 'flask', match: (f) => pythonEvidence(f, 'flask') },
  { id: 'fastapi', match: (f) => pythonEvidence(f, 'fastapi') },
  { id: 'vue', match: (f) => deps(f, 'vue') },
  { id: 'react', match: (f) => (deps(f, 'react-native', 'expo').length > 0 ? [] : deps(f, 'react', 'react-dom')) },
  { id: 'express', match: (f) => deps(f, 'express') },
];

/** Bundlers and libraries that mark a package.json project as browser code rather than a Node program. */
const WEB_DEPENDENCIES = ['vite', 'webpack', 'parcel', '@rspack/core', '@rsbuild/core', 'snowpack', 'preact', 'solid-js', 'svelte', 'lit', 'jquery', 'alpinejs'];

export function javascriptEvidence(f: ProjectFacts): string[] {
  const evidence = [...deps(f, ...WEB_DEPENDENCIES)];
  if (f.rootFiles.has('index.html')) evidence.push('index.html');
  if (f.packageJson === null) {
    const sources = [...f.rootFiles].filter((name) => /\.(m?js|tsx?|jsx)$/.test(name) && !name.endsWith('.d.ts'));
    if (sources.length > 0) evidence.push(`JavaScript files at the root (${sources.sort()[0] ?? ''})`);
  }
  return evidence;
}

export function nodeEvidence(f: ProjectFacts): string[] {
  return f.packageJson === null ? [] : ['package.json'];
}

export function pythonFallbackEvidence(f: ProjectFacts): string[] {
  if (f.pythonManifests.length > 0) return [...f.pythonManifests];
  const sources = [...f.rootFiles].filter((name) => name.endsWith('.py')).sort();
  return sources.length > 0 ? [`Python files at the root (${sources[0] ?? ''})`] : [];
}

function deps(f: ProjectFacts, ...names: string[]): string[] {
  const declared = f.packageJson?.dependencies;
  if (declared === undefined) return [];
  return names.filter((name) => declared.has(name)).map((name) => `package.json: dependency "${name}"`);
}

function depsWithPrefix(f: ProjectFacts, prefix: string): string[] {
  const declared = f.packageJson?.dependencies;
  if (declared === undefined) return [];
  return [...declared].filter((name) => name.startsWith(prefix)).sort().map((name) => `package.json: dependency "${name}"`);
}

function configs(f: ProjectFacts, pattern: RegExp): string[] {
  return [...f.rootFiles].filter((name) => pattern.test(name)).sort();
}

function pythonEvidence(f: ProjectFacts, name: string): string[] {
  const evidence: string[] = [];
  if (f.pythonRuntimeDependencies.has(name)) evidence.push(`Python dependency "${name}" (${f.pythonManifests.join(', ')})`);
  if (f.pythonRootImports.has(name)) evidence.push(`a Python file at the root imports ${name}`);
  return evidence;
}

function railsEvidence(f: ProjectFacts): string[] {
  const evidence: string[] = [];
  if (f.gemfile !== null && /^\s*gem\s+['"](rails|railties)['"]/m.test(f.gemfile)) evidence.push('Gemfile: gem "rails"');
  else if (f.gemfileLock !== null && /^\s+(rails|railties) \(/m.test(f.gemfileLock)) evidence.push('Gemfile.lock: rails');
  if (f.railsApplication) evidence.push('config/application.rb: Rails::Application');
  return evidence;
}

function laravelEvidence(f: ProjectFacts): string[] {
  const evidence: string[] = [];
  for (const name of ['laravel/framework', 'laravel/lumen-framework']) {
    if (f.composerDependencies?.has(name) === true) evidence.push(`composer.json: requires "${name}"`);
  }
  if (f.artisanMentionsLaravel) evidence.push('artisan');
  return evidence;
}
