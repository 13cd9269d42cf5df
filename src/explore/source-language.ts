/** The language whose imports a file is scanned for, from its name; `null` means not scanned. */
export type SourceLanguage = 'js' | 'python' | 'ruby' | 'php';

const JS_FILE = /\.(?:[cm]?[jt]sx?|vue|svelte|astro)$/;
/** Declarations, bundles and maps: generated, never where a call is written. */
const GENERATED_JS = /\.d\.[cm]?ts$|[.-]min\.js$|\.bundle\.js$|\.chunk\.js$/;

export function sourceLanguage(path: string): SourceLanguage | null {
  if (JS_FILE.test(path)) return GENERATED_JS.test(path) ? null : 'js';
  if (path.endsWith('.py')) return 'python';
  if (path.endsWith('.rb')) return 'ruby';
  if (path.endsWith('.php') && !path.endsWith('.blade.php')) return 'php';
  return null;
}

const TEST_DIR = /(?:^|\/)(?:__tests__|__mocks__|__fixtures__|tests?|spec|e2e|cypress|playwright)\//;
const TEST_FILE = /\.(?:test|spec|stories|story|cy|e2e)\.[^/]+$|(?:^|\/)(?:test_[^/]*|[^/]*_test|[^/]*_spec|conftest|tests)\.(?:py|rb)$/;

/**
 * Tests, mocks and stories: an SDK imported there is mocked or demonstrated, not called by the
 * product, so such files are neither scanned nor listed.
 */
export function isTestPath(path: string): boolean {
  return TEST_DIR.test(path) || TEST_FILE.test(path);
}
