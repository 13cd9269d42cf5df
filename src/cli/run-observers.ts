import { createOtelSpanObserver } from '../telemetry/otel-spans.js';
import { createTelemetryObserver } from '../telemetry/create-telemetry-observer.js';
import { ObserverFanout } from '../programs/observer-fanout.js';
import type { RunObserver } from '../queue/run-observer.js';
import { createJsonObserver } from '../ui/create-json-observer.js';
import { createPlainObserver } from '../ui/create-plain-observer.js';
import { createTuiObserver } from '../ui/create-tui-observer.js';
import type { UiMode } from '../ui/choose-ui-mode.js';
import type { CliContext } from './cli-context.js';


export interface RunObservers {
  readonly list: RunObserver[];
  notice(message: string): void;
}

export interface RunObserverOptions {
  readonly ui: UiMode;
  readonly context: CliContext;
  readonly stateDir: string;
  /** `--no-telemetry`: nothing is sent (events.jsonl is still written). */
  readonly telemetry: boolean;
  readonly version: string;
  readonly onInterrupt: () => void;
  readonly onForceQuit: () => void;
}

/** Builds the run's observers: the progress display chosen by `--ui`, telemetry, and OpenTelemetry spans. */
export function createRunObservers(options: RunObserverOptions): RunObservers {
  const view =
    options.ui === 'tui'
      ? createTuiObserver({ onInterrupt: options.onInterrupt, onForceQuit: options.onForceQuit })
      : options.ui === 'json'
        ? createJsonObserver({ stream: options.context.stdout })
        : createPlainObserver({ stream: options.context.stdout });
  const list: RunObserver[] = [
    view,
    createTelemetryObserver({ stateDir: options.stateDir, noTelemetry: !options.telemetry, appVersion: options.version, warn: (line) => options.context.stderr.write(`${line}\n`) }),
    createOtelSpanObserver(),
  ];
  // Notices come from signal handlers: isolate observers there too, so a failing one cannot crash the stop.
  const fanout = new ObserverFanout(list);
  return { list, notice: (message) => fanout.notice(message) };
}
