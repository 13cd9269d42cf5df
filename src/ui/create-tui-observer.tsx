import { Box, render, Text, useInput, useStdin, type Instance } from 'ink';
import type { RunObserver } from '../queue/run-observer.js';
import { createRunViewRecorder } from './create-run-view-recorder.js';
import { layoutRunView } from './layout-run-view.js';
import { shouldUseColor } from './should-use-color.js';

export interface TuiObserverOptions {
  readonly stdout?: NodeJS.WriteStream;
  readonly stdin?: NodeJS.ReadStream;
  /** Default: on for a colour terminal unless `NO_COLOR` is set. */
  readonly color?: boolean;
  /** ASCII marks instead of Unicode symbols. */
  readonly ascii?: boolean;
  /** Redraw interval for the spinner and the clocks (default 100 ms). */
  readonly tickMs?: number;
  /**
   * Ctrl-C pressed once: stop gracefully. In raw mode the terminal sends no SIGINT, so the view
   * turns the key into this call. Without it, the view sends SIGINT to its own process, so a
   * CLI that handles signals sees the key press as it would without the view.
   */
  readonly onInterrupt?: () => void;
  /** Ctrl-C pressed again: stop now. Default: SIGINT to this process, as above. */
  readonly onForceQuit?: () => void;
  /** Print `console.*` output above the live frame instead of through it (default true). */
  readonly patchConsole?: boolean;
  /** The clock, for tests. */
  readonly now?: () => number;
}

interface RunFrameProps {
  readonly lines: readonly string[];
  readonly onCtrlC: () => void;
}

/** Draws prepared lines and listens for Ctrl-C; all layout happens in `layoutRunView`. */
function RunFrame({ lines, onCtrlC }: RunFrameProps) {
  const { isRawModeSupported } = useStdin();
  useInput(
    (input, key) => {
      if (key.ctrl && input === 'c') onCtrlC();
    },
    // Without a terminal on stdin (`</dev/null`, a pipe) there is no raw mode, and Ctrl-C arrives
    // as SIGINT anyway. ink reports `stdin.isTTY` as it is, `undefined` for a file or a pipe, and
    // useInput treats anything but `false` as active: it would then demand raw mode and fail.
    { isActive: isRawModeSupported === true },
  );
  return (
    <Box flexDirection="column">
      {lines.map((line, index) => (
        // An empty <Text> takes no height; a space keeps the spacer line.
        <Text key={index} wrap="truncate-end">
          {line === '' ? ' ' : line}
        </Text>
      ))}
    </Box>
  );
}

/**
 * The live terminal view of a run, drawn with ink from `layoutRunView`. It mounts when the run
 * starts, redraws on every tick (spinner, clocks) and on resize, and on `close()` draws the
 * final frame — the summary — and leaves it on screen with the terminal restored.
 */
export function createTuiObserver(options: TuiObserverOptions = {}): RunObserver {
  const stdout = options.stdout ?? process.stdout;
  const stdin = options.stdin ?? process.stdin;
  const color = options.color ?? shouldUseColor(stdout);
  const now = options.now ?? Date.now;
  const recorder = createRunViewRecorder();
  let instance: Instance | undefined;
  let ticker: NodeJS.Timeout | undefined;
  let ctrlCPresses = 0;
  let closed = false;

  const raiseSigint = (): void => {
    process.kill(process.pid, 'SIGINT');
  };
  const onCtrlC = (): void => {
    if (recorder.model().end !== undefined) return;
    ctrlCPresses += 1;
    if (ctrlCPresses === 1) {
      recorder.markStopping();
      draw();
      (options.onInterrupt ?? raiseSigint)();
    } else {
      (options.onForceQuit ?? raiseSigint)();
    }
  };
  const frame = () => {
    // One line short of the terminal: ink clears the whole screen on every frame once a frame fills it.
    const lines = layoutRunView(recorder.model(), {
      width: stdout.columns > 0 ? stdout.columns : 80,
      height: Math.max(1, (stdout.rows > 0 ? stdout.rows : 24) - 1),
      now: now(),
      color,
      ascii: options.ascii === true,
    });
    return <RunFrame lines={lines} onCtrlC={onCtrlC} />;
  };
  const draw = (): void => {
    if (instance !== undefined && !closed) instance.rerender(frame());
  };
  let columns = stdout.columns;
  const onResize = (): void => {
    // A narrower terminal re-wraps the lines already drawn, so ink's "erase the last frame"
    // would leave pieces of it behind: clear the screen first. Prepended, so ink's own resize
    // handler (which then redraws everything) already sees the new layout.
    if (stdout.columns < columns) stdout.write('\u001b[2J\u001b[H');
    columns = stdout.columns;
    draw();
  };
  const mount = (): void => {
    if (instance !== undefined || closed) return;
    instance = render(frame(), { stdout, stdin, exitOnCtrlC: false, patchConsole: options.patchConsole ?? true });
    ticker = setInterval(draw, options.tickMs ?? 100);
    columns = stdout.columns;
    stdout.prependListener('resize', onResize);
  };

  return {
    onRunStart(info, state) {
      recorder.onRunStart(info, state);
      mount();
      draw();
    },
    onEvent(event, state) {
      recorder.onEvent(event, state);
      mount();
    },
    onActivity(taskId, line) {
      recorder.onActivity(taskId, line);
    },
    onNotice(message) {
      recorder.onNotice(message);
      draw();
    },
    onRunEnd(info) {
      recorder.onRunEnd(info);
      draw();
    },
    async close() {
      if (closed) return;
      if (ticker !== undefined) clearInterval(ticker);
      stdout.off('resize', onResize);
      if (instance === undefined) {
        closed = true;
        // Never mounted (the run failed to start): notices must still reach the user.
        for (const notice of recorder.model().notices) stdout.write(`${notice}\n`);
        return;
      }
      draw();
      closed = true;
      const exited = instance.waitUntilExit();
      instance.unmount();
      await exited;
    },
  };
}
