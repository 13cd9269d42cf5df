import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Two projects, one `npm test`: `unit` (src/**, in-process, seconds) and `e2e` (test/**: real
// processes, signals, locks, tmux, MCP over HTTP; needs `npm run build` for bin/ and dist/).
// `npm run test:unit` / `npm run test:e2e` run one of them.
export default defineConfig({
  test: {
    // Most e2e time is spent waiting on child processes, the disk and tmux rather than on this
    // process's CPU, so more files run at once than there are cores (vitest's default is cores - 1).
    maxWorkers: Math.max(3, availableParallelism()),
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
          // One module graph per worker instead of one per file: most of a unit file's time was
          // loading the modules it tests (111 files: 40 s of CPU isolated, 14 s shared). The unit
          // tests keep no state between files (they pass in any order: --sequence.shuffle).
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/**/*.test.ts'],
          // A limit for a hang, not a speed target: on a loaded machine a process-spawning test is
          // slow, and the tests wait for events rather than for time.
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // drover's resume hint says `npx drover` when npm started it; whether the suite itself was
    // started with `npm test` or `npx vitest` must not change what the tests see.
    env: { npm_command: '', npm_execpath: '', npm_lifecycle_event: '' },
  },
});
