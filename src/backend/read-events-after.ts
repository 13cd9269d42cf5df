import type { QueueEvent } from '../queue/events.js';
import type { RunReader } from './backend.js';

/**
 * Every event of `runId` with `seq > after`, in order, read from the port page by page (so a
 * long run is never held whole): what `RunStartInfo.events` hands an observer that completes
 * its projection (telemetry). Ends at the first empty page; a consumer that wants only up to
 * some `seq` stops iterating there.
 */
export async function* readEventsAfter(reader: Pick<RunReader, 'readEvents'>, runId: string, after: number, pageSize = 1000): AsyncGenerator<QueueEvent> {
  let seq = after;
  for (;;) {
    const page = await reader.readEvents(runId, seq, pageSize);
    if (page.length === 0) return;
    for (const event of page) {
      seq = event.seq;
      yield event;
    }
  }
}
