import type { QueueEvent } from '../queue/events.js';
import { readAuditLog } from '../store/file/audit-log.js';
import { statePaths } from '../util/state-paths.js';

/**
 * The run's durable events from the first, read from `audit.jsonl` without repairing it (the
 * live store owns the file and may be appending): what observers that project the log (see
 * `RunStartInfo.history`) replay on resume. The log is streamed: events are handed on as each
 * chunk of the file is parsed, so only the events of the chunks not yet consumed are held.
 */
export async function* auditHistory(stateDir: string): AsyncIterable<QueueEvent> {
  let buffered: QueueEvent[] = [];
  let wake: (() => void) | undefined;
  let finished = false;
  let failure: unknown;
  const reading = readAuditLog(
    statePaths(stateDir).audit,
    (event) => {
      buffered.push(event);
      wake?.();
    },
    { repair: false },
  ).then(
    () => {
      finished = true;
      wake?.();
    },
    (error: unknown) => {
      failure = error;
      finished = true;
      wake?.();
    },
  );
  for (;;) {
    if (buffered.length > 0) {
      const batch = buffered;
      buffered = [];
      yield* batch;
      continue;
    }
    if (finished) break;
    await new Promise<void>((resolve) => (wake = resolve));
    wake = undefined;
  }
  await reading;
  if (failure !== undefined) throw failure;
}
