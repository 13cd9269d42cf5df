import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyApp, drover, hashTree, readJsonLines, REPO_ROOT, startDrover, waitFor } from './helpers/run-cli.js';

interface Snapshot {
  runId: string;
  installDir: string;
  status: string;
  detected: { framework: string | null; packageManager: string | null };
  tasks: Array<{ id: string; type: string; status: string; dependsOn: string[]; enqueuedBy: string; attempts: number }>;
}

const FAKE_AGENT = join(REPO_ROOT, 'test/agents/fake-agent.mjs');
/** The plain view's line for a task that has started. */
const STARTED = /[▶>] [a-z-]+-1\b/;

const readQueue = async (stateDir: string): Promise<Snapshot> => JSON.parse(await readFile(join(stateDir, 'queue.json'), 'utf8')) as Snapshot;

const apps = [
  { name: 'examples/next-app', path: join(REPO_ROOT, 'examples/next-app'), framework: 'nextjs' },
  { name: 'sveltekit-app', path: join(REPO_ROOT, 'test/fixtures/apps/sveltekit-app'), framework: 'sveltekit' },
  { name: 'django-app', path: join(REPO_ROOT, 'test/fixtures/apps/django-app'), framework: 'django' },
  { name: 'express-app', path: join(REPO_ROOT, 'test/fixtures/apps/express-app'), framework: 'express' },
  { name: 'fastapi-app', path: join(REPO_ROOT, 'test/fixtures/apps/fastapi-app'), framework: 'fastapi' },
];

describe('drover run --install-dir (walking skeleton, real CLI)', () => {
  for (const app of apps) {
    it(`${app.name}: detects ${app.framework}, seeds parallel branches, a running task enqueues work, all done, project untouched`, async () => {
      const dir = await copyApp(app.path);
      const before = await hashTree(dir);
      const result = await drover(['run', '--install-dir', dir, '--ui', 'plain']);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(await hashTree(dir, ['.drover'])).toEqual(before);

      const stateDir = join(dir, '.drover');
      const queue = await readQueue(stateDir);
      expect(queue.detected.framework).toBe(app.framework);
      expect(queue.status).toBe('done');
      expect(queue.tasks.every((task) => task.status === 'done')).toBe(true);
      const roots = queue.tasks.filter((task) => task.dependsOn.length === 0 && task.enqueuedBy === 'orchestrator').map((task) => task.type);
      expect(roots).toEqual(expect.arrayContaining(['install', 'init']));
      const dynamic = queue.tasks.filter((task) => task.enqueuedBy !== 'orchestrator');
      expect(dynamic.map((task) => task.type)).toEqual(['llm-analytics']);
      expect(queue.tasks.find((task) => task.id === dynamic[0]!.enqueuedBy)?.type).toBe('plan');
      const report = queue.tasks.find((task) => task.type === 'report')!;
      expect(report.dependsOn).toEqual(expect.arrayContaining(queue.tasks.filter((task) => task !== report).map((task) => task.id)));

      const audit = await readJsonLines(join(stateDir, 'audit.jsonl'));
      expect(audit.map((event) => event.seq)).toEqual(audit.map((_, i) => i + 1));
      const completed = audit.filter((event) => event.event === 'task-completed').map((event) => event.taskId);
      expect([...completed].sort()).toEqual(queue.tasks.map((task) => task.id).sort());
      const ids = queue.tasks.map((task) => `${task.id}.json`).sort();
      expect((await readdir(join(stateDir, 'handoffs'))).sort()).toEqual(ids);
      // Every task left a handoff; every task but the seed step (which runs the seeder, not an agent) ran the stub agent.
      expect(queue.tasks[0]).toMatchObject({ id: 'seed', type: 'seed', status: 'done', enqueuedBy: 'orchestrator' });
      expect((await readdir(join(stateDir, 'markers'))).sort()).toEqual(ids.filter((id) => id !== 'seed.json'));
      const handoff = JSON.parse(await readFile(join(stateDir, 'handoffs', `${report.id}.json`), 'utf8'));
      expect(handoff).toMatchObject({ taskId: report.id, status: 'done', goal: expect.any(String), did: expect.any(String), forNextAgent: expect.any(String) });
      const prompt = await readFile(join(stateDir, 'prompts', `${report.id}.md`), 'utf8');
      expect(prompt).toContain('Context from previous steps');
      expect(existsSync(join(stateDir, 'lock'))).toBe(false);

      const telemetry = (await readJsonLines(join(stateDir, 'events.jsonl'))).map((event) => event.event);
      expect(telemetry).toEqual(expect.arrayContaining(['orchestrator started', 'orchestrator seeded', 'orchestrator task started', 'orchestrator task completed', 'orchestrator run finished']));
      expect(telemetry.filter((name) => name === 'orchestrator task completed')).toHaveLength(queue.tasks.length);
    });
  }

  it('a run killed with SIGKILL resumes with `drover run` and finishes; no task completes twice', async () => {
    // The first run is a real process (SIGKILL is what is tested). Its `init` agent hangs, so the
    // kill lands while the run is certainly unfinished, after at least one task completed.
    const dir = await copyApp(join(REPO_ROOT, 'examples/next-app'));
    const stateDir = join(dir, '.drover');
    const agentArgs = ['--agent', 'command', '--agent-cmd', `node ${FAKE_AGENT}`];
    const first = startDrover(['run', '--install-dir', dir, '--ui', 'plain', '--concurrency', '2', ...agentArgs], { FAKE_AGENT_BEHAVIOR: JSON.stringify({ init: 'hang' }) });
    const initLog = join(stateDir, 'logs', 'init-2.log');
    // (The audit log is read as text: the run may be mid-append.)
    await waitFor(async () => existsSync(initLog) && /pid \d+ hanging/.test(await readFile(initLog, 'utf8')) && (await readFile(join(stateDir, 'audit.jsonl'), 'utf8')).includes('"event":"task-completed"'));
    first.child.kill('SIGKILL');
    expect((await first.done).signal).toBe('SIGKILL');
    // A SIGKILLed runner cannot stop its agents; this one would hang for ever.
    process.kill(-Number(/pid (\d+)/.exec(await readFile(initLog, 'utf8'))![1]), 'SIGKILL');
    expect(existsSync(join(stateDir, 'lock'))).toBe(true);
    const before = (await readJsonLines(join(stateDir, 'audit.jsonl'))).filter((event) => event.event === 'task-completed').length;

    const second = await drover(['run', '--install-dir', dir, '--ui', 'plain', ...agentArgs], { FAKE_AGENT_BEHAVIOR: '{}' });
    // The other slot's agent may have been alive at the kill too (a slot frees when its task
    // reports, so the next agent can start while the last one exits): resume kills it and says so.
    // Nothing else goes to stderr.
    expect(second.stderr.split('\n').filter((line) => line !== '' && !/^drover: warning: killed \d+ agent process group\(s\) a stopped drover left running \(pgid [\d, ]+\)$/.test(line))).toEqual([]);
    expect(second.code).toBe(0);
    const audit = await readJsonLines(join(stateDir, 'audit.jsonl'));
    expect(audit.filter((event) => event.event === 'run-resumed')).toHaveLength(1);
    expect(audit.filter((event) => event.event === 'run-started')).toHaveLength(1);
    const completed = audit.filter((event) => event.event === 'task-completed').map((event) => event.taskId as string);
    expect(completed.length).toBeGreaterThan(before);
    expect(new Set(completed).size).toBe(completed.length);
    const queue = await readQueue(stateDir);
    expect(queue.tasks.every((task) => task.status === 'done')).toBe(true);
    expect(completed.sort()).toEqual(queue.tasks.map((task) => task.id).sort());
  });

  it('SIGINT stops gracefully with exit 130, and --resume finishes the run', async () => {
    const dir = await copyApp(join(REPO_ROOT, 'test/fixtures/apps/express-app'));
    const stateDir = join(dir, '.drover');
    // Each stub task would take an hour: the run is surely mid-task when the signal arrives.
    const first = startDrover(['run', '--install-dir', dir, '--ui', 'plain', '--stub-delay', '1h']);
    await first.stdoutMatches(STARTED);
    first.child.kill('SIGINT');
    const interrupted = await first.done;
    expect(interrupted.code).toBe(130);
    const table = await drover(['status', '--install-dir', dir]);
    expect(table.stdout).toMatch(/unfinished \(interrupted\): \d+ task\(s\) left; drover run --install-dir .* --resume continues it/);
    const status = await drover(['status', '--install-dir', dir, '--json']);
    const shown = JSON.parse(status.stdout);
    expect(shown.status).toBe('interrupted');
    expect(shown.tasks.some((task: { status: string }) => task.status === 'pending')).toBe(true);
    expect(shown.tasks.some((task: { status: string }) => task.status === 'running')).toBe(false);

    const resumed = await drover(['run', '--install-dir', dir, '--ui', 'plain', '--resume']);
    expect(resumed.code).toBe(0);
    expect((await readQueue(stateDir)).status).toBe('done');
  });

  it('a second runner on the same state dir exits 3 naming the holder', async () => {
    const dir = await copyApp(join(REPO_ROOT, 'test/fixtures/apps/flask-app'));
    // The first runner holds the lock until the test stops it, however slow the machine is.
    const first = startDrover(['run', '--install-dir', dir, '--ui', 'plain', '--stub-delay', '1h']);
    await first.stdoutMatches(STARTED);
    const second = await drover(['run', '--install-dir', dir, '--ui', 'plain']);
    expect(second.code).toBe(3);
    expect(second.stderr.trim().split('\n')).toHaveLength(1);
    expect(second.stderr).toMatch(new RegExp(`in use by another drover run \\(pid ${first.child.pid}`));
    first.child.kill('SIGINT');
    expect((await first.done).code).toBe(130);
  });

  it('--fresh moves the finished run aside instead of deleting it', async () => {
    const dir = await copyApp(join(REPO_ROOT, 'test/fixtures/apps/vue-app'));
    expect((await drover(['run', '--install-dir', dir, '--ui', 'plain'])).code).toBe(0);
    const firstRun = (await readQueue(join(dir, '.drover'))).runId;
    expect((await drover(['run', '--install-dir', dir, '--ui', 'plain', '--fresh'])).code).toBe(0);
    const archived = await readdir(join(dir, '.drover', 'archive'));
    expect(archived).toHaveLength(1);
    const old = JSON.parse(await readFile(join(dir, '.drover', 'archive', archived[0]!, 'queue.json'), 'utf8'));
    expect(old.runId).toBe(firstRun);
    expect((await readQueue(join(dir, '.drover'))).runId).not.toBe(firstRun);
  });

  it('--fresh moves aside a run that belongs to another project; without it the state dir is refused', async () => {
    const first = await copyApp(join(REPO_ROOT, 'test/fixtures/apps/vue-app'));
    const second = await copyApp(join(REPO_ROOT, 'test/fixtures/apps/flask-app'));
    const shared = join(first, 'shared-state');
    expect((await drover(['run', '--install-dir', first, '--state-dir', shared, '--ui', 'plain'])).code).toBe(0);
    const refused = await drover(['run', '--install-dir', second, '--state-dir', shared, '--ui', 'plain']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/holds a run for .*pass --fresh/);
    expect((await drover(['run', '--install-dir', second, '--state-dir', shared, '--ui', 'plain', '--fresh'])).code).toBe(0);
    expect((await readQueue(shared)).installDir).toBe(second);
  });

  it('drover status shows the table and one task in detail', async () => {
    const dir = await copyApp(join(REPO_ROOT, 'test/fixtures/apps/react-router-app'));
    expect((await drover(['run', '--install-dir', dir, '--ui', 'plain'])).code).toBe(0);
    const table = await drover(['status', '--install-dir', dir]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/✔ install-1\s+Install the SDK/);
    expect(table.stdout).toMatch(/✔ llm-analytics-\d+\s+Track the LLM calls\s+↳ by plan-3/);
    expect(table.stdout).toContain('✔ Run done · exit 0');
    const detail = await drover(['status', '--install-dir', dir, '--task', 'plan-3']);
    expect(detail.stdout).toContain('## Handoff');
    expect(detail.stdout).toContain('## Prompt');
  });

  it('bad usage and bad input exit 2 with one line on stderr and write nothing', async () => {
    const missing = await drover(['run', '--install-dir', '/nonexistent/app']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('drover: /nonexistent/app: install directory not found\n');
    const dir = await copyApp(join(REPO_ROOT, 'test/fixtures/apps/flask-app'));
    for (const args of [['--concurrency', '0'], ['--task-timeout', '10'], ['--resume', '--fresh'], ['--bogus']]) {
      const result = await drover(['run', '--install-dir', dir, ...args]);
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(existsSync(join(dir, '.drover'))).toBe(false);
    const resumeNothing = await drover(['run', '--install-dir', dir, '--resume']);
    expect(resumeNothing.code).toBe(2);
    expect(resumeNothing.stderr).toMatch(/has no run to resume/);
  });
});
