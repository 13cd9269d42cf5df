import { availableParallelism } from 'node:os';
import { relative } from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The e2e files that take longest (20–70 s each: real agent CLIs, hundreds of processes, a browser,
 * inputs of hundreds of MB), longest first. They start first, so the short files fill the last
 * minutes instead of one long file running alone at the end. Without this a fresh clone (no
 * timings cached in node_modules/.vite) orders files by size, and crash-recovery, a short file,
 * started four fifths of the way through. Add a file here when it takes more than ~20 s.
 */
const SLOWEST_FIRST = [
  'test/agent-command.test.ts',
  'test/agent-clis.test.ts',
  'test/backend-worker-death.test.ts',
  'test/fanout-streaming.test.ts',
  'test/dashboard-browser.test.ts',
  'test/dashboard-actions.test.ts',
  'test/crash-recovery.test.ts',
  'test/worker-postgres.test.ts',
  'test/tui-tmux.test.ts',
  'test/run-cli.test.ts',
];

class SlowestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification): number => {
      const index = SLOWEST_FIRST.indexOf(relative(file.project.config.root, file.moduleId));
      return index === -1 ? SLOWEST_FIRST.length : index;
    };
    // Stable: the rest keep vitest's own order (timings of the last run, else size; e2e before unit).
    return (await super.sort(files)).map((file, order) => ({ file, order })).sort((a, b) => rank(a.file) - rank(b.file) || a.order - b.order).map(({ file }) => file);
  }
}

// Two projects, one `npm test`: `unit` (src/**, in-process, seconds) and `e2e` (test/**: real
// processes, signals, locks, tmux, MCP over HTTP; needs `npm run build` for bin/ and dist/).
// `npm run test:unit` / `npm run test:e2e` run one of them.
export default defineConfig({
  test: {
    // Most e2e time is spent waiting on child processes, the disk and tmux rather than on this
    // process's CPU, so more files run at once than there are cores (vitest's default is cores - 1).
    maxWorkers: Math.max(3, availableParallelism()),
    sequence: { sequencer: SlowestFirst },
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
