import { createTelemetryObserver } from '../telemetry/create-telemetry-observer.js';
import { ObserverFanout } from '../programs/observer-fanout.js';
import type { RunObserver } from '../queue/run-observer.js';
import { createJsonObserver } from '../ui/create-json-observer.js';
import { createPlainObserver } from '../ui/create-plain-observer.js';
import type { UiMode } from '../ui/choose-ui-mode.js';
import { stripTerminalControls } from '../ui/to-terminal-text.js';
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

/**
 * Builds the run's observers: the progress display chosen by `--ui`, telemetry, and OpenTelemetry
 * spans. The live view (ink and React, half a second of imports) is loaded only for `--ui tui`,
 * and OpenTelemetry only when something in this process has registered it.
 */
export async function createRunObservers(options: RunObserverOptions): Promise<RunObservers> {
  const view =
    options.ui === 'tui'
      ? (await import('../ui/create-tui-observer.js')).createTuiObserver({ onInterrupt: options.onInterrupt, onForceQuit: options.onForceQuit })
      : options.ui === 'json'
        ? createJsonObserver({ stream: options.context.stdout })
        : createPlainObserver({ stream: options.context.stdout });
  const list: RunObserver[] = [
    view,
    createTelemetryObserver({ stateDir: options.stateDir, noTelemetry: !options.telemetry, appVersion: options.version, warn: (line) => options.context.stderr.write(`${stripTerminalControls(line)}\n`) }),
  ];
  if (openTelemetryRegistered()) list.push((await import('../telemetry/otel-spans.js')).createOtelSpanObserver());
  // Notices come from signal handlers: isolate observers there too, so a failing one cannot crash the stop.
  const fanout = new ObserverFanout(list);
  return { list, notice: (message) => fanout.notice(message) };
}

/**
 * Whether an OpenTelemetry SDK (or anything using `@opentelemetry/api`) is loaded in this
 * process — `node --import` of an auto-instrumentation, say. The API keeps its registry on a
 * `Symbol.for('opentelemetry.js.api.<major>')` global; without one, every span drover made would
 * go to the API's no-op tracer, so the API is not loaded at all.
 */
function openTelemetryRegistered(): boolean {
  return Object.getOwnPropertySymbols(globalThis).some((symbol) => symbol.description?.startsWith('opentelemetry.js.api.') === true);
}
