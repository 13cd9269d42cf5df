/**
 * The frameworks drover recognises (SPEC "Run state on disk"). The order here is only for
 * display; detection precedence lives in `framework-rules.ts`.
 */
export const FRAMEWORK_IDS = [
  'nextjs',
  'nuxt',
  'vue',
  'sveltekit',
  'astro',
  'react-router',
  'angular',
  'react',
  'express',
  'node',
  'django',
  'flask',
  'fastapi',
  'rails',
  'laravel',
  'javascript',
  'python',
] as const;

export type FrameworkId = (typeof FRAMEWORK_IDS)[number];

const FRAMEWORK_ID_SET: ReadonlySet<string> = new Set(FRAMEWORK_IDS);

export function isFrameworkId(value: unknown): value is FrameworkId {
  return typeof value === 'string' && FRAMEWORK_ID_SET.has(value);
}

/** The language family a framework belongs to; it decides which package manager is reported. */
export type Ecosystem = 'js' | 'python' | 'ruby' | 'php';

const PYTHON_FRAMEWORKS: ReadonlySet<FrameworkId> = new Set(['django', 'flask', 'fastapi', 'python']);

export function ecosystemOf(framework: FrameworkId): Ecosystem {
  if (PYTHON_FRAMEWORKS.has(framework)) return 'python';
  if (framework === 'rails') return 'ruby';
  if (framework === 'laravel') return 'php';
  return 'js';
}
