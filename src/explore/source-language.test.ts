import { describe, expect, it } from 'vitest';
import { isTestPath, sourceLanguage } from './source-language.js';

describe('sourceLanguage', () => {
  it.each([
    ['app/page.tsx', 'js'],
    ['lib/a.mjs', 'js'],
    ['lib/a.cts', 'js'],
    ['src/App.vue', 'js'],
    ['src/routes/+page.svelte', 'js'],
    ['src/pages/index.astro', 'js'],
    ['types/global.d.ts', null],
    ['public/vendor.min.js', null],
    ['app/views.py', 'python'],
    ['app/models/user.rb', 'ruby'],
    ['app/Http/Kernel.php', 'php'],
    ['resources/views/home.blade.php', null],
    ['README.md', null],
  ])('%s → %s', (path, expected) => {
    expect(sourceLanguage(path)).toBe(expected);
  });
});

describe('isTestPath', () => {
  it.each([
    ['src/a.test.ts', true],
    ['src/a.spec.tsx', true],
    ['src/Button.stories.tsx', true],
    ['src/__tests__/a.ts', true],
    ['src/__mocks__/openai.ts', true],
    ['tests/test_api.py', true],
    ['app/test_views.py', true],
    ['app/views_test.py', true],
    ['conftest.py', true],
    ['chat/tests.py', true],
    ['spec/models/user_spec.rb', true],
    ['e2e/home.ts', true],
    ['src/testing-utils.ts', false],
    ['src/latest/page.tsx', false],
    ['app/contest.py', false],
  ])('%s → %s', (path, expected) => {
    expect(isTestPath(path)).toBe(expected);
  });
});
