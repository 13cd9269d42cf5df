import type { RunObserver } from '../queue/run-observer.js';
import { createLineWriter } from './create-line-writer.js';
import { createRunViewRecorder } from './create-run-view-recorder.js';
import { summarizeRun } from './summarize-run.js';
import { toTerminalJson } from './to-terminal-text.js';

export interface JsonObserverOptions {
  /** Where the NDJSON goes (default stdout). Nothing else may be written to it. */
  readonly stream?: NodeJS.WritableStream;
}

/**
 * `--ui json`: newline-delimited JSON, one object per line. Every queue event exactly as
 * `audit.jsonl` has it (`{seq, ts, event, ...}`), agent activity as
 * `{"event":"activity","taskId","line"}`, notices as `{"event":"notice","message"}`, and last
 * `{"event":"summary", ...RunSummary}`. Activity and notices carry no `seq`: they are not
 * queue events and are not persisted.
 */
export function createJsonObserver(options: JsonObserverOptions = {}): RunObserver {
  const stream = options.stream ?? process.stdout;
  const recorder = createRunViewRecorder();
  const { write, flush } = createLineWriter(stream);
  const emit = (value: unknown): void => write(toTerminalJson(value));
  return {
    onRunStart(info, state) {
      recorder.onRunStart(info, state);
    },
    onEvent(event, state) {
      recorder.onEvent(event, state);
      emit(event);
    },
    onActivity(taskId, line) {
      emit({ event: 'activity', taskId, line });
    },
    onNotice(message) {
      emit({ event: 'notice', message });
    },
    onRunEnd(info) {
      recorder.onRunEnd(info);
      emit({ event: 'summary', ...summarizeRun(recorder.model(), info) });
    },
    close: flush,
  };
}
