/**
 * Directories the walker never enters: dependencies, VCS data, build output and caches. They
 * hold most of a repository's files and none of the code a user wrote. Every directory whose
 * name starts with a dot is skipped as well (`.git`, `.next`, `.nuxt`, `.svelte-kit`, `.output`,
 * `.turbo`, `.cache`, `.venv`, `.drover`, editor folders), so they need no entry here.
 */
export const SKIPPED_DIR_NAMES: ReadonlySet<string> = new Set([
  'node_modules',
  'bower_components',
  'jspm_packages',
  'dist',
  'build',
  'out',
  'coverage',
  '__pycache__',
  'venv',
  'site-packages',
  'vendor',
  'target',
  'tmp',
  'storybook-static',
]);

/** Files whose presence marks their directory as a virtualenv or a cache, whatever its name. */
export const SKIP_MARKER_FILES: ReadonlySet<string> = new Set(['pyvenv.cfg', 'CACHEDIR.TAG']);

export function isSkippedDirName(name: string): boolean {
  return name.startsWith('.') || SKIPPED_DIR_NAMES.has(name) || name.endsWith('.egg-info');
}
