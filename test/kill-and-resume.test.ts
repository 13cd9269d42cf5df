import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { copyApp, drover, readJsonLines, REPO_ROOT, startDrover, waitFor } from './helpers/run-cli.js';

const ORPHAN_AGENT = join(REPO_ROOT, 'test/agents/orphan-agent.mjs');
const leftovers: number[] = [];

afterEach(() => {
  // Whatever the outcome, leave no agent running behind the test.
  for (const pid of leftovers.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
});

describe('SIGKILL of drover while a command agent runs, then resume (real processes)', () => {
  it('kills the orphaned agent before the retry starts, gives the attempt back (--max-attempts 1), and the orphan never writes after its dependents ran', { timeout: 120_000 }, async () => {
    const app = await copyApp(join(REPO_ROOT, 'test/fixtures/apps/express-app'));
    const scratch = await mkdtemp(join(tmpdir(), 'drover-orphan-'));
    const env = { ORPHAN_DIR: scratch, ORPHAN_TASK: 'install-1' };
    const args = ['run', '--install-dir', app, '--ui', 'plain', '--agent', 'command', '--agent-cmd', `node ${ORPHAN_AGENT}`, '--max-attempts', '1'];
    const first = startDrover(args, env);
    await waitFor(async () => existsSync(join(scratch, 'first-pid')), 60_000);
    const orphan = Number(await readFile(join(scratch, 'first-pid'), 'utf8'));
    leftovers.push(orphan);
    // The agent's group is on record before it can do anything.
    expect(await readdir(join(app, '.drover', 'agent-groups'))).toContain(`${orphan}.json`);
    first.child.kill('SIGKILL');
    await first.done;
    process.kill(orphan, 0); // the orphan outlived drover (throws if not)

    const resumed = await drover([...args, '--resume'], env);
    expect(resumed.stderr).toMatch(new RegExp(`killed 1 agent process group\\(s\\) a stopped drover left running \\(pgid ${orphan}\\)`));
    expect(resumed.code).toBe(0);
    expect(JSON.parse(await readFile(join(scratch, 'retry-saw'), 'utf8'))).toEqual({ firstAlive: false });
    const ran = (await readFile(join(scratch, 'ran'), 'utf8')).trim().split('\n');
    expect(ran.filter((id) => id === 'install-1')).toHaveLength(1);
    expect(ran).toContain('instrument-4');
    expect(existsSync(join(scratch, 'orphan-effect'))).toBe(false);
    expect(await readdir(join(app, '.drover', 'agent-groups'))).toEqual([]);
    const audit = await readJsonLines(join(app, '.drover', 'audit.jsonl'));
    const installStarts = audit.filter((event) => event.event === 'task-started' && event.taskId === 'install-1');
    expect(installStarts.map((event) => event.attempt)).toEqual([1, 1]);
    expect(audit.find((event) => event.event === 'task-requeued' && event.taskId === 'install-1')).toMatchObject({ attempts: 0, error: { kind: 'interrupted' } });
  });

  it('events.jsonl holds the telemetry event of every audit transition exactly once after a SIGKILL during the first task and a resume', { timeout: 120_000 }, async () => {
    const app = await copyApp(join(REPO_ROOT, 'test/fixtures/apps/express-app'));
    const audit = join(app, '.drover', 'audit.jsonl');
    // The first task sleeps for 600 hours: drover is killed while it runs, within the events buffer's second.
    const first = startDrover(['run', '--install-dir', app, '--ui', 'plain', '--stub-delay', '600h']);
    await waitFor(async () => existsSync(audit) && (await readFile(audit, 'utf8')).includes('"task-started"'), 60_000);
    first.child.kill('SIGKILL');
    await first.done;

    const resumed = await drover(['run', '--install-dir', app, '--ui', 'plain', '--resume']);
    expect(resumed.code).toBe(0);
    const transitions = await readJsonLines(audit);
    const events = await readJsonLines(join(app, '.drover', 'events.jsonl'));
    const seqs = events.map((event) => (event.properties as { seq?: number }).seq);
    expect(seqs).toEqual(transitions.map((event) => event.seq));
    const names = events.map((event) => event.event);
    expect(names.filter((name) => name === 'orchestrator started')).toHaveLength(2);
    expect(names.filter((name) => name === 'orchestrator seeded')).toHaveLength(1);
    expect(names.filter((name) => name === 'orchestrator task enqueued')).toHaveLength(transitions.filter((event) => event.event === 'task-enqueued').length);
    expect(names.at(-1)).toBe('orchestrator run finished');
    expect(events[0]).toMatchObject({ event: 'orchestrator started', properties: { resumed: false, seq: 1 } });
  });
});
