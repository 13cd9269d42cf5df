import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { QueueBuilder } from '../testing/queue-builder.js';
import { createTuiObserver } from './create-tui-observer.js';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');

/** A terminal stand-in: what ink writes is collected, and the size can be changed. */
function fakeTerminal(columns = 80, rows = 24) {
  const stdout = Object.assign(new PassThrough(), { isTTY: true, columns, rows }) as unknown as NodeJS.WriteStream & PassThrough;
  let written = '';
  stdout.on('data', (chunk: Buffer) => (written += chunk.toString('utf8')));
  const rawModes: boolean[] = [];
  const stdin = Object.assign(new PassThrough(), {
    isTTY: true,
    setRawMode(mode: boolean) {
      rawModes.push(mode);
      return stdin;
    },
    ref: () => stdin,
    unref: () => stdin,
  }) as unknown as NodeJS.ReadStream & PassThrough;
  return { stdout, stdin, rawModes, written: () => written };
}

describe('createTuiObserver', () => {
  it('turns Ctrl-C into onInterrupt once, then onForceQuit, and leaves the final summary on screen with the terminal restored', async () => {
    const terminal = fakeTerminal();
    const onInterrupt = vi.fn();
    const onForceQuit = vi.fn();
    const observer = createTuiObserver({ stdout: terminal.stdout, stdin: terminal.stdin, patchConsole: false, color: false, onInterrupt, onForceQuit, now: () => T0 + 5_000 });
    const q = new QueueBuilder();
    observer.onRunStart?.({ program: 'integrate', runId: 'run-1', installDir: '/app', stateDir: '/app/.drover', detected: { framework: 'nextjs', packageManager: 'npm' }, resumed: false, startedAt: T0 }, q.state);
    const a = q.enqueue({ type: 'install', label: 'Install the SDK' });
    q.start(a);
    for (const event of q.log) observer.onEvent?.(event, q.state);
    await vi.waitFor(() => expect(terminal.rawModes).toEqual([true]), { timeout: 30_000 });

    terminal.stdin.write('\u0003');
    await vi.waitFor(() => expect(onInterrupt).toHaveBeenCalledTimes(1), { timeout: 30_000 });
    expect(onForceQuit).not.toHaveBeenCalled();
    terminal.stdin.write('\u0003');
    await vi.waitFor(() => expect(onForceQuit).toHaveBeenCalledTimes(1), { timeout: 30_000 });
    expect(onInterrupt).toHaveBeenCalledTimes(1);

    observer.onRunEnd?.({ verdict: { status: 'interrupted', unfinished: [a], failed: [], blocked: [] }, exitCode: 130, state: q.state, endedAt: T0 + 6_000 });
    await observer.close?.();
    const screen = terminal.written();
    const finalFrame = screen.slice(screen.lastIndexOf('drover integrate'));
    expect(finalFrame).toContain('■ Run interrupted · exit 130');
    expect(finalFrame).toContain('resume    drover run --install-dir /app --resume');
    expect(finalFrame).toContain('install-1');
    expect(terminal.rawModes.at(-1)).toBe(false);
    expect(screen).not.toMatch(/\[3\dm/);
  });

  it('shows the stopping notice with the resume command after the first Ctrl-C', async () => {
    const terminal = fakeTerminal(120, 30);
    const onInterrupt = vi.fn();
    const observer = createTuiObserver({ stdout: terminal.stdout, stdin: terminal.stdin, patchConsole: false, color: false, onInterrupt, onForceQuit: () => {}, now: () => T0 });
    const q = new QueueBuilder();
    observer.onRunStart?.({ program: 'integrate', runId: 'run-1', installDir: '/app', stateDir: '/app/.drover', detected: { framework: null, packageManager: null }, resumed: false, startedAt: T0 }, q.state);
    terminal.stdin.write('\u0003');
    // The view marks the run stopping before it calls onInterrupt; the frame that shows it may be
    // written only when the view closes.
    await vi.waitFor(() => expect(onInterrupt).toHaveBeenCalledTimes(1), { timeout: 30_000 });
    await observer.close?.();
    expect(terminal.written()).toContain('■ stopping… the run is resumable:\n  drover run --install-dir /app --resume\n  press Ctrl-C again to force');
  });

  it('prints notices plainly when the run never started, so they are not lost', async () => {
    const terminal = fakeTerminal();
    const observer = createTuiObserver({ stdout: terminal.stdout, stdin: terminal.stdin, patchConsole: false });
    observer.onNotice?.('the state dir is locked by another run');
    await observer.close?.();
    expect(terminal.written()).toBe('the state dir is locked by another run\n');
  });
});
