import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createJsonlSink } from './jsonl-sink.js';
import type { TelemetryEvent } from './telemetry-events.js';

const event = (n: number): TelemetryEvent => ({ event: 'orchestrator task started', properties: { n }, timestamp: '2026-01-01T00:00:00.000Z', run_id: 'r' });
const readLines = async (path: string): Promise<unknown[]> => (await readFile(path, 'utf8')).trimEnd().split('\n').map((line) => JSON.parse(line) as unknown);

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'drover-jsonl-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('createJsonlSink', () => {
  it('buffers writes and appends them, in order, one JSON object per line, by close()', async () => {
    const path = join(dir, 'nested', 'events.jsonl');
    const sink = createJsonlSink(path, { flushIntervalMs: 60_000 });
    for (let n = 0; n < 5; n += 1) sink.write(event(n));
    // Nothing touched the disk on the caller's path.
    expect(existsSync(path)).toBe(false);
    await sink.close();
    expect(await readLines(path)).toEqual([0, 1, 2, 3, 4].map(event));
  });

  it('appends to what earlier sessions wrote', async () => {
    const path = join(dir, 'events.jsonl');
    const first = createJsonlSink(path);
    first.write(event(1));
    await first.close();
    const second = createJsonlSink(path);
    second.write(event(2));
    await second.close();
    expect(await readLines(path)).toEqual([event(1), event(2)]);
  });

  it('flushes on its own once the interval passes or the buffer fills', async () => {
    const timed = join(dir, 'timed.jsonl');
    const sink = createJsonlSink(timed, { flushIntervalMs: 10 });
    sink.write(event(1));
    await vi.waitFor(async () => expect(await readLines(timed)).toEqual([event(1)]));
    await sink.close();

    const full = join(dir, 'full.jsonl');
    const bounded = createJsonlSink(full, { flushIntervalMs: 60_000, maxBufferedLines: 3 });
    for (let n = 0; n < 3; n += 1) bounded.write(event(n));
    await vi.waitFor(async () => expect(await readLines(full)).toHaveLength(3));
    await bounded.close();
  });

  it('drops writes after close', async () => {
    const path = join(dir, 'events.jsonl');
    const sink = createJsonlSink(path);
    sink.write(event(1));
    await sink.close();
    sink.write(event(2));
    await sink.close();
    expect(await readLines(path)).toEqual([event(1)]);
  });

  it('an unwritable file warns once, in one line, and never throws', async () => {
    const blocker = join(dir, 'not-a-dir');
    await writeFile(blocker, '');
    const warnings: string[] = [];
    const sink = createJsonlSink(join(blocker, 'events.jsonl'), { warn: (line) => warnings.push(line), maxBufferedLines: 1 });
    sink.write(event(1));
    sink.write(event(2));
    await sink.flush();
    sink.write(event(3));
    await expect(sink.close()).resolves.toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/events\.jsonl/);
    expect(warnings[0]).not.toContain('\n');
  });
});
