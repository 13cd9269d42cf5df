import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { TelemetryEvent } from './telemetry-events.js';

export interface JsonlSinkOptions {
  /** Buffered lines are appended at most this long after the first of them (default 1000 ms). */
  readonly flushIntervalMs?: number;
  /** ...or as soon as this many are buffered (default 200). */
  readonly maxBufferedLines?: number;
  /** Told once, in one line, if the file cannot be written. */
  readonly warn?: (line: string) => void;
}

export interface JsonlSink {
  /** Buffers one event; never blocks and never throws. */
  write(event: TelemetryEvent): void;
  /** Appends everything buffered so far. */
  flush(): Promise<void>;
  /** Flushes and stops; later writes are dropped. */
  close(): Promise<void>;
}

/**
 * Appends telemetry events to a JSON Lines file (`<stateDir>/events.jsonl`), one object per
 * line. The run never waits for it: `write` only buffers, and appends run in the background,
 * one at a time so lines stay in order. Telemetry must never fail a run, so a write error is
 * reported once and the sink goes quiet.
 */
export function createJsonlSink(path: string, options: JsonlSinkOptions = {}): JsonlSink {
  const flushIntervalMs = options.flushIntervalMs ?? 1000;
  const maxBufferedLines = options.maxBufferedLines ?? 200;
  const warn = options.warn ?? ((line: string) => console.error(line));
  let buffer: string[] = [];
  let writing: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let dirReady: Promise<unknown> | undefined;
  let failed = false;
  let closed = false;

  const append = async (data: string): Promise<void> => {
    if (failed) return;
    try {
      dirReady ??= mkdir(dirname(path), { recursive: true });
      await dirReady;
      await appendFile(path, data, 'utf8');
    } catch (error) {
      failed = true;
      warn(`drover: telemetry: cannot write ${path} (${error instanceof Error ? error.message : String(error)}); events are no longer recorded`);
    }
  };

  const flush = (): Promise<void> => {
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
    if (buffer.length > 0) {
      const data = buffer.join('');
      buffer = [];
      writing = writing.then(() => append(data));
    }
    return writing;
  };

  return {
    write(event) {
      if (closed || failed) return;
      buffer.push(`${JSON.stringify(event)}\n`);
      if (buffer.length >= maxBufferedLines) void flush();
      else if (timer === undefined) {
        timer = setTimeout(() => void flush(), flushIntervalMs);
        // Only close() must wait for the file; a pending flush alone should not keep a finished process alive.
        timer.unref();
      }
    },
    flush,
    async close() {
      closed = true;
      await flush();
    },
  };
}
