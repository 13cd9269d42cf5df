import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // drover's resume hint says `npx drover` when npm started it; whether the suite itself was
    // started with `npm test` or `npx vitest` must not change what the tests see.
    env: { npm_command: '', npm_execpath: '', npm_lifecycle_event: '' },
  },
});
