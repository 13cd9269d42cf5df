import type { QueueEvent } from '../queue/events.js';
import { readAuditLog } from '../store/file/audit-log.js';
import { statePaths } from '../util/state-paths.js';

/**
 * The run's durable events from the first, read from `audit.jsonl` without repairing it (the
 * live store owns the file and may be appending): what observers that project the log (see
 * `RunStartInfo.history`) replay on resume.
 */
export async function* auditHistory(stateDir: string): AsyncIterable<QueueEvent> {
  // Collected, then yielded: the projection replays from the first event anyway.
  const events: QueueEvent[] = [];
  await readAuditLog(statePaths(stateDir).audit, (event) => events.push(event), { repair: false });
  yield* events;
}
