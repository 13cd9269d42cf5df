import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stubAgent } from '../../agents/stub-agent.js';
import { drainQueue } from '../../runner/drain-queue.js';
import { RunQueue } from '../../backend/local/run-queue.js';
import type { Exploration } from '../../explore/exploration.js';
import { DEFAULT_LIMITS, MAX_INPUT_BYTES } from '../../queue/limits.js';
import { MemoryStore } from '../../testing/index.js';
import { seedCandidates, seedFromExploration } from './seed-from-exploration.js';
import { stubFollowUps } from './stub-follow-ups.js';

/** A large LLM monorepo: 1,106 call sites, as in the report that found the silent drop. */
function monorepoExploration(): Exploration {
  const llmCalls = Array.from({ length: 1106 }, (_, i) => ({ file: `packages/service-${i}/src/integrations/language-models/providers/openai-chat-client.ts`, line: 12, provider: 'openai' as const, module: 'openai' }));
  return { entryPoints: ['src/main.ts'], pages: [], apiRoutes: [], llmCalls, filesWalked: 5000, filesScanned: 4000, truncated: false, truncatedBy: null, elapsedMs: 1 };
}

describe('seedFromExploration on a repository with more LLM calls than fit in a task input', () => {
  it('keeps the plan task within the input limit, puts every call in a file the agent can read, and the llm-analytics follow-up is enqueued', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'drover-seed-'));
    const store = new MemoryStore();
    await store.open();
    const policy = { limits: DEFAULT_LIMITS, taskTypes: null, sinkTypes: new Set(['report']), defaultMaxAttempts: 2 };
    const queue = await RunQueue.start(store, { runId: 'r', installDir: '/repo', detected: { framework: 'nextjs', packageManager: 'pnpm' } }, policy);
    await seedFromExploration(queue, { framework: 'nextjs', packageManager: 'pnpm' } as never, monorepoExploration(), stateDir);
    await queue.markSeeded();
    const plan = queue.state.byPosition.find((task) => task.type === 'plan')!;
    expect(Buffer.byteLength(JSON.stringify(plan.inputs))).toBeLessThanOrEqual(MAX_INPUT_BYTES);
    expect(plan.inputs).toMatchObject({ llmCallCount: 1106, llmCallsFile: join(stateDir, 'inputs', 'llm-calls.json') });
    expect(plan.inputs.llmCalls).toHaveLength(40);
    const all = JSON.parse(await readFile(plan.inputs.llmCallsFile as string, 'utf8')) as string[];
    expect(all).toHaveLength(1106);

    const verdict = await drainQueue(queue, { agent: stubAgent({ followUps: stubFollowUps }), installDir: '/repo', stateDir });
    expect(verdict.status).toBe('done');
    const follow = queue.state.byPosition.find((task) => task.type === 'llm-analytics');
    expect(follow).toMatchObject({ status: 'done', enqueuedBy: plan.id, inputs: { llmCallCount: 1106, llmCallsFile: plan.inputs.llmCallsFile } });
  });
});

describe('seedCandidates', () => {
  it('names a file that is both a page and an API route once (a Django view that renders and answers JSON)', () => {
    const exploration: Exploration = {
      entryPoints: [],
      pages: ['src/documents/views.py', 'src/paperless/views.py'],
      apiRoutes: ['src/documents/views.py', 'src/paperless/api.py'],
      llmCalls: [],
      filesWalked: 4,
      filesScanned: 4,
      truncated: false,
      truncatedBy: null,
      elapsedMs: 1,
    };
    expect(seedCandidates(exploration)).toEqual(['src/documents/views.py', 'src/paperless/views.py', 'src/paperless/api.py']);
  });
});
