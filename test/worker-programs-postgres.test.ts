import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestBackend, randomSchema, readRunEvents, storeUrl } from './helpers/postgres.js';
import { copyApp, drover, REPO_ROOT, startDrover, type StartedDrover, waitFor } from './helpers/run-cli.js';

/**
 * A shared database holds runs of different programs (issue 11 follow-up): each run names the
 * program a worker must serve to run it right (`integrate`, `fanout:<plan digest>`), and a
 * `drover worker` (the integration prompts) claims only from `integrate` runs, says so when it
 * starts, and refuses a `--run` of another program with one line, exit 2.
 */
const FAKE_AGENT = join(REPO_ROOT, 'test/agents/fake-agent.mjs');
const agent = ['--agent', 'command', '--agent-cmd', `node ${FAKE_AGENT}`];
const APP = join(REPO_ROOT, 'examples/next-app');
const FANOUT = 'fanout:0123456789abcdef';

const schemas: string[] = [];
const children: StartedDrover[] = [];
afterEach(async () => {
  for (const started of children.splice(0)) if (started.child.exitCode === null && started.child.signalCode === null) started.child.kill('SIGKILL');
  for (const schema of schemas.splice(0)) await (await openTestBackend(schema)).dropSchema();
});

describe('drover worker serves the runs of its program only', () => {
  it('beside a fanout run in the same database, a worker without --run takes only the integrate run’s tasks; --run of the fanout run is refused (exit 2)', async () => {
    const schema = randomSchema();
    schemas.push(schema);
    const url = storeUrl(schema);
    // A fanout plan's run, as drover run --plan --store leaves it: seeded, its tasks ready, keyed by the plan's digest.
    const backend = await openTestBackend(schema);
    const fanoutRun = 'fanout-run';
    try {
      await backend.createRun({ runId: fanoutRun, installDir: '/plan', detected: { framework: null, packageManager: null }, program: FANOUT });
      await backend.enqueueBatch(fanoutRun, (add) => [add({ type: 'fanout-task', label: 'Do a', inputs: { requestId: 'a' } }), add({ type: 'fanout-task', label: 'Do b', inputs: { requestId: 'b' } })]);
      await backend.markSeeded(fanoutRun);
    } finally {
      await backend.close();
    }
    // An integrate run, seeded by the real CLI.
    const dir = await copyApp(APP);
    const seeded = await drover(['run', '--install-dir', dir, '--ui', 'plain', '--store', url, '--seed-only', ...agent]);
    expect(seeded.code, seeded.stderr).toBe(0);
    const integrateRun = /seeded run (\S+):/.exec(seeded.stdout)![1]!;

    const workdir = await copyApp(APP);
    const stateDir = await mkdtemp(join(tmpdir(), 'drover-worker-state-'));
    const worker = startDrover(['worker', '--store', url, '--workdir', workdir, '--state-dir', stateDir, '--concurrency', '2', ...agent]);
    children.push(worker);
    await worker.stdoutMatches(/working every running integrate run .*; serves integrate\n/);
    const reader = await openTestBackend(schema);
    try {
      await waitFor(async () => (await reader.readRun(integrateRun))?.status === 'done');
      worker.child.kill('SIGINT');
      const ended = await worker.done;
      expect(ended.code).toBe(130);
      // Every start the worker made was of the integrate run; the fanout run was left alone.
      const started = [...ended.stdout.matchAll(/^started \S+ \(\S+\) attempt \d+ of run (\S+)$/gm)].map((match) => match[1]);
      expect(started.length).toBeGreaterThan(0);
      expect(new Set(started)).toEqual(new Set([integrateRun]));
      expect((await readRunEvents(schema, fanoutRun)).filter((event) => event.event === 'task-started')).toEqual([]);
      expect((await reader.readRun(fanoutRun))!.tasks.map((task) => task.status)).toEqual(['pending', 'pending']);
      const runs = await reader.listRuns();
      expect(runs.map((run) => [run.runId, run.program]).sort()).toEqual([[fanoutRun, FANOUT], [integrateRun, 'integrate']].sort());
    } finally {
      await reader.close();
    }

    // drover status --store lists what each run needs its workers to serve.
    const list = await drover(['status', '--store', url]);
    expect(list.stdout).toMatch(new RegExp(`^${fanoutRun}  running +\\S+  ${FANOUT}  /plan  2 pending$`, 'm'));
    expect(list.stdout).toMatch(new RegExp(`^${integrateRun}  done +\\S+  integrate  `, 'm'));

    // Named with --run, the fanout run is refused before anything is claimed: one line, exit 2.
    const refused = await drover(['worker', '--store', url, '--run', fanoutRun, '--workdir', workdir, '--state-dir', stateDir, ...agent]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(`drover: --run ${fanoutRun}: run of program ${FANOUT}, and drover worker serves integrate runs only (a fanout plan run is worked by its drover run --plan --store process)\n`);
    expect((await readRunEvents(schema, fanoutRun)).filter((event) => event.event === 'task-started')).toEqual([]);
  });
});
