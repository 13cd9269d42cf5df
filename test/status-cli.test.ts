import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueueBuilder } from '../src/testing/index.js';
import { drover } from './helpers/run-cli.js';

// `drover status` reads a state dir that a repository may have shipped (`.drover/` in a clone),
// so everything in it is hostile input to a terminal. Each state dir here is written the way
// such a repository would: an audit log and files, no drover process involved.
const CLIPBOARD = '\u001b]52;c;cm0gLXJmIH4=\u0007';
const CLEAR = '\u001b[2J\u001b[H';
const CSI_8BIT = '\u009b2J';
// eslint-disable-next-line no-control-regex -- what must never reach the terminal
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const SPINNER = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/;

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'drover-status-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** A run that stopped with `install-1` running: its lock gone (or held, with `lockPid`). */
async function writeRun(name: string, options: { hostile?: boolean; lockPid?: number } = {}): Promise<string> {
  const stateDir = join(work, name);
  const evil = options.hostile === true ? `${CLIPBOARD}${CLEAR}${CSI_8BIT}` : '';
  const queue = new QueueBuilder();
  const install = queue.enqueue({ type: 'install', label: `Install${evil} the SDK` });
  const plan = queue.enqueue({ type: 'plan', label: 'Plan the events' });
  queue.start(install);
  queue.start(plan);
  queue.emit({ event: 'task-failed', taskId: plan, error: { kind: 'agent-failed', message: `gave up${evil} here` } });
  await mkdir(join(stateDir, 'prompts'), { recursive: true });
  await mkdir(join(stateDir, 'logs'), { recursive: true });
  await writeFile(join(stateDir, 'audit.jsonl'), queue.log.map((event) => `${JSON.stringify(event)}\n`).join(''));
  await writeFile(join(stateDir, 'prompts', `${install}.md`), `# Install${evil}\nrun npm install\n`);
  await writeFile(join(stateDir, 'logs', `${install}.log`), `line one${evil}\n\u001b[31mred\u001b[0m line two\r\nprogress 50%\rprogress 100%\n`);
  if (options.lockPid !== undefined) {
    await writeFile(join(stateDir, 'lock'), `${JSON.stringify({ pid: options.lockPid, host: hostname(), startedAt: new Date().toISOString() })}\n`);
  }
  return stateDir;
}

describe('drover status (real CLI)', () => {
  it('--task prints the label, error, prompt and log tail of a hostile state dir with no escape sequence or control byte', async () => {
    const stateDir = await writeRun('hostile', { hostile: true });
    for (const task of ['install-1', 'plan-2']) {
      const result = await drover(['status', '--state-dir', stateDir, '--task', task]);
      expect(result.code).toBe(0);
      expect(result.stdout).not.toMatch(RAW_CONTROL);
      // The clipboard payload is dropped with its sequence, not printed as text.
      expect(result.stdout).not.toContain('cm0gLXJmIH4');
    }
    const install = (await drover(['status', '--state-dir', stateDir, '--task', 'install-1'])).stdout;
    expect(install).toContain('install-1 (install) — Install the SDK');
    expect(install).toContain('line one\nred line two\nprogress 50%\nprogress 100%');
    expect(install).toContain('# Install\nrun npm install');
    expect((await drover(['status', '--state-dir', stateDir, '--task', 'plan-2'])).stdout).toContain('error: agent-failed: gave up here');

    const json = await drover(['status', '--state-dir', stateDir, '--task', 'install-1', '--json']);
    expect(json.stdout).not.toMatch(RAW_CONTROL);
    expect((JSON.parse(json.stdout) as { task: { label: string } }).task.label).toBe(`Install${CLIPBOARD}${CLEAR}${CSI_8BIT} the SDK`);
  });

  it('an error message that echoes hostile input (an unknown task id) reaches stderr with no escape sequence', async () => {
    const stateDir = await writeRun('hostile-error', { hostile: true });
    const result = await drover(['status', '--state-dir', stateDir, '--task', `nope${CLIPBOARD}${CLEAR}`]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^drover: .*no task "nope" in this run/);
    expect(result.stderr).not.toMatch(RAW_CONTROL);
  });

  it('prints the task table of a hostile state dir with no escape sequence or control byte', async () => {
    const stateDir = await writeRun('hostile-table', { hostile: true });
    const result = await drover(['status', '--state-dir', stateDir]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/install-1 +Install the SDK/);
    expect(result.stdout).not.toMatch(RAW_CONTROL);
  });

  it('shows a run whose process died as stopped: no spinner, clocks frozen at its last write, and says it died', async () => {
    const stateDir = await writeRun('dead');
    const result = await drover(['status', '--state-dir', stateDir]);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(SPINNER);
    // The builder's clock ticks 1 s at a time: install-1 started two ticks before the run's last write,
    expect(result.stdout).toMatch(/^ {2}■ install-1 +Install the SDK +stopped after 2\.0s$/m);
    // and the header's clock stops at that write too, seven ticks after the run started.
    expect(result.stdout.split('\n')[0]).toMatch(/ 7\.0s$/);
    expect(result.stdout).toContain('unfinished (its process died)');
  });

  it('shows a run whose lock a live process holds as running, with a still mark instead of a spinner frame', async () => {
    const stateDir = await writeRun('live', { lockPid: process.pid });
    const result = await drover(['status', '--state-dir', stateDir]);
    expect(result.stdout).not.toMatch(SPINNER);
    expect(result.stdout).toMatch(/^ {2}▶ install-1 +Install the SDK +\d/m);
    expect(result.stdout).toContain('unfinished (still running)');
  });

  it('names a missing --install-dir or --state-dir (exit 2) instead of saying no run was found', async () => {
    for (const flag of ['--install-dir', '--state-dir']) {
      const missing = join(work, 'does-not-exist');
      const result = await drover(['status', flag, missing]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(new RegExp(`^drover: ${missing}: (install|state) directory not found\\n$`));
      expect(result.stdout).toBe('');
    }
  });

  it('calls a log whose first line is not run-started corrupt, naming the file (exit 2), and an empty one no run', async () => {
    const stateDir = join(work, 'first-line');
    await mkdir(stateDir, { recursive: true });
    await writeFile(join(stateDir, 'audit.jsonl'), '{"seq":1,"event":"task-enqueued"}\n');
    const corrupt = await drover(['status', '--state-dir', stateDir]);
    expect(corrupt.code).toBe(2);
    expect(corrupt.stderr).toBe(`drover: ${join(stateDir, 'audit.jsonl')}: event 1: not a run-started event\n`);
    await writeFile(join(stateDir, 'audit.jsonl'), '');
    const empty = await drover(['status', '--state-dir', stateDir]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/no run found/);
  });
});

describe('drover with no command or an unknown one (real CLI)', () => {
  it('bare drover prints the usage on stdout and exits 2, as git and npm print theirs and fail', async () => {
    const result = await drover([]);
    expect(result.stdout).toMatch(/^Usage: drover \[options\] \[command\]/);
    expect(result.stdout).toContain('run [options]');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(2);
  });

  it('bare drover fanout prints its usage and exits 2 like bare drover; help asked for exits 0', async () => {
    const bare = await drover(['fanout']);
    expect(bare.stderr).toMatch(/^Usage: drover fanout \[options\] \[command\]/);
    expect(bare.stderr).toContain('plan [options]');
    expect(bare.code).toBe(2);
    const asked = await drover(['help', 'fanout']);
    expect(asked.stdout).toMatch(/^Usage: drover fanout/);
    expect(asked.code).toBe(0);
  });

  it('an unknown command gets the drover: prefix and exit 2', async () => {
    const result = await drover(['bogus']);
    expect(result.stderr).toMatch(/^drover: unknown command 'bogus'\n/);
    expect(result.code).toBe(2);
  });
});
