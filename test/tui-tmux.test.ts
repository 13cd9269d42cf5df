import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The live view as a person sees it: the real `drover run` in a real terminal (tmux), its
// screen read back with `capture-pane`. A private socket keeps it away from anyone's tmux.
const root = new URL('..', import.meta.url).pathname;
const bin = join(root, 'bin', 'drover.js');
const fixture = join(root, 'examples', 'next-app');
const socket = `drover-test-${process.pid}`;
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const SPINNER = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/;
/** Any duration the view prints (`840ms`, `1.2s`, `1m 05s`): how long things take depends on the machine's load. */
const DURATION = String.raw`(?:\d+ms|\d+\.\ds|\d+m \d{2}s)`;

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
}

function screen(session: string): string {
  return tmux('capture-pane', '-p', '-t', session);
}

/** Polls the pane until `predicate` holds, and returns that screen. */
async function waitForScreen(session: string, predicate: (text: string) => boolean, what: string, timeoutMs = 150_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let text = '';
  while (Date.now() < deadline) {
    text = screen(session);
    if (predicate(text)) return text;
    await sleep(40);
  }
  throw new Error(`timed out waiting for ${what}; the screen was:\n${text}`);
}

/**
 * Starts `drover run` in a new session of the given size. The shell prints the exit code and
 * stays, so the final frame can be read after the process ends. CI variables are removed: the
 * live view is only for an interactive terminal, and that is what this test is.
 */
function startRun(session: string, installDir: string, size: { columns: number; rows: number }, extra: string[] = [], stdin: 'terminal' | 'dev-null' | 'pipe' = 'terminal'): void {
  const command = ['node', bin, 'run', '--install-dir', installDir, '--stub-delay', '300ms', '--no-telemetry', ...extra].map((arg) => `'${arg}'`).join(' ');
  const env = 'env -u CI -u CONTINUOUS_INTEGRATION -u NO_COLOR -u npm_command -u npm_execpath -u npm_lifecycle_event TERM=xterm-256color';
  const run = stdin === 'dev-null' ? `${env} ${command} </dev/null` : stdin === 'pipe' ? `echo | ${env} ${command}` : `${env} ${command}`;
  tmux('new-session', '-d', '-s', session, '-x', String(size.columns), '-y', String(size.rows), `${run}; echo "[exit $?]"; sleep 600`);
}

function linesOf(text: string): string[] {
  return text.split('\n').map((line) => line.trimEnd());
}

function row(text: string, id: string): string {
  const found = linesOf(text).find((line) => new RegExp(`^ {2}\\S ${id} `).test(line));
  if (found === undefined) throw new Error(`no row for ${id} on the screen:\n${text}`);
  return found;
}

describe.skipIf(!hasTmux && process.env.CI === undefined)('the live view in a real terminal (tmux)', () => {
  let work: string;

  beforeAll(async () => {
    if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) throw new Error('dist/ is missing: run `npm run build` first (npm test does)');
    work = await mkdtemp(join(tmpdir(), 'drover-tui-'));
  });

  afterAll(async () => {
    spawnSync('tmux', ['-L', socket, 'kill-server']);
    if (work !== undefined) await rm(work, { recursive: true, force: true });
  });

  async function freshApp(name: string): Promise<string> {
    const dir = join(work, name);
    await cp(fixture, dir, { recursive: true, filter: (source) => !source.includes('.drover') });
    return dir;
  }

  it('shows tasks starting and finishing, then leaves the summary and verdict on screen', async () => {
    const app = await freshApp('app');
    startRun('run', app, { columns: 80, rows: 30 });

    // The seed task is the first row; wait until install-1, the first task it enqueued, has finished too.
    const live = await waitForScreen('run', (text) => SPINNER.test(text) && /^ {2}✔ install-1 /m.test(text), 'a running task after install-1 finished');
    const liveLines = linesOf(live);
    expect(liveLines[0]).toMatch(new RegExp(`^drover integrate · run [0-9a-f-]+ +${DURATION}$`));
    expect(liveLines[1]).toBe(`${app} · nextjs · npm`);
    expect(liveLines[2]).toMatch(/^\[\d\/\d\] \S+ \d done · 1 running · \d pending$/);
    expect(row(live, 'install-1')).toMatch(new RegExp(`^ {2}✔ install-1 +Install the SDK +${DURATION}$`));
    expect(live).toMatch(new RegExp(`^ {2}${SPINNER.source} \\S+ +.+ +${DURATION}$`, 'm'));
    expect(live).toMatch(/^› \S+ {2}stub: /m);
    for (const line of liveLines) expect(line.length).toBeLessThanOrEqual(80);

    const done = await waitForScreen('run', (text) => text.includes('[exit 0]'), 'the run to finish');
    expect(done).toContain('[7/7]');
    for (const [id, label] of [
      ['seed', 'Plan the run'],
      ['install-1', 'Install the SDK'],
      ['init-2', 'Initialise PostHog'],
      ['plan-3', 'Plan the events'],
      ['instrument-4', 'Add the capture calls'],
      ['llm-analytics-6', 'Track the LLM calls'],
      ['report-5', 'Write the setup report'],
    ] as const) {
      expect(row(done, id)).toMatch(new RegExp(`^ {2}✔ ${id} +${label} `));
    }
    expect(row(done, 'llm-analytics-6')).toContain('↳ by plan-3');
    // Dependency-depth order: the sink report comes last, after the task enqueued at run time.
    expect(done.indexOf(' report-5 ')).toBeGreaterThan(done.indexOf(' llm-analytics-6 '));
    expect(done).toContain('✔ Run done · exit 0');
    expect(done).toContain('7 tasks: 7 done');
    expect(done).toMatch(new RegExp(`took ${DURATION} · first task after ${DURATION} · longest gap ${DURATION}`));
    expect(done).toContain(`state     ${app}/.drover`);
    expect(done).toContain(`handoffs  ${app}/.drover/handoffs`);
    expect(done).not.toMatch(SPINNER);
  });

  it('stops on Ctrl-C, says how to resume, and the resumed run finishes', async () => {
    const app = await freshApp('interrupted');
    // Each task would take an hour, so Ctrl-C surely lands mid-run, however slow the machine.
    startRun('stop', app, { columns: 80, rows: 30 }, ['--stub-delay', '1h']);
    await waitForScreen('stop', (text) => SPINNER.test(text), 'a running task');
    tmux('send-keys', '-t', 'stop', 'C-c');

    const stopped = await waitForScreen('stop', (text) => text.includes('[exit 130]'), 'the interrupted run to exit');
    expect(stopped).toContain('■ Run interrupted · exit 130');
    expect(stopped).toMatch(/\d unfinished/);
    expect(stopped).toContain(`resume    drover run --install-dir ${app} --resume`);

    startRun('resume', app, { columns: 80, rows: 30 }, ['--resume']);
    const resumed = await waitForScreen('resume', (text) => text.includes('[exit 0]'), 'the resumed run to finish');
    expect(linesOf(resumed)[0]).toContain('· resumed');
    expect(resumed).toContain('✔ Run done · exit 0');
    // Stopped during the seed step or after it, the resumed run holds each task once.
    expect(resumed).toContain('[7/7]');
  });

  it('fits a small terminal: every line within the width, finished work collapsed into a count', async () => {
    const app = await freshApp('small');
    startRun('small', app, { columns: 60, rows: 12 });
    const done = await waitForScreen('small', (text) => text.includes('[exit 0]'), 'the run to finish');
    const lines = linesOf(done);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(60);
    expect(done).toMatch(/^ {2}✔ \d done$/m);
    expect(done).toContain('✔ Run done · exit 0');
  });

  for (const stdin of ['dev-null', 'pipe'] as const) {
    it(`runs to its summary with stdin ${stdin === 'pipe' ? 'a pipe' : '</dev/null'}: the live view needs a terminal on stdout only`, { timeout: 60_000 }, async () => {
      const app = await freshApp(`stdin-${stdin}`);
      startRun(`stdin-${stdin}`, app, { columns: 80, rows: 30 }, ['--ui', 'tui'], stdin);
      const done = await waitForScreen(`stdin-${stdin}`, (text) => /\[exit \d+\]/.test(text), 'the run to end');
      // Before: exit 13 (stdin a pipe), or an ink "Raw mode is not supported" stack and React
      // duplicate-key warnings filling the screen, no summary and no events.jsonl.
      expect(done).not.toContain('Raw mode');
      expect(done).not.toContain('same key');
      expect(done).toContain('✔ Run done · exit 0');
      expect(done).toContain('[exit 0]');
      expect(row(done, 'report-5')).toMatch(/^ {2}✔ report-5 +Write the setup report /);
      expect(existsSync(join(app, '.drover', 'events.jsonl'))).toBe(true);
    });
  }
});
