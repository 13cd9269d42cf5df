import type { QueueEvent } from '../queue/events.js';

/** An event's own time (its ISO `ts`, stamped by the run's clock), or `fallbackMs` when that does not parse. */
export function eventTimeMs(event: Pick<QueueEvent, 'ts'>, fallbackMs: number): number {
  const ms = Date.parse(event.ts);
  return Number.isNaN(ms) ? fallbackMs : ms;
}
