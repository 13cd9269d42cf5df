import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { QueueBuilder } from '../testing/queue-builder.js';
import { createJsonObserver } from './create-json-observer.js';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');

describe('createJsonObserver', () => {
  it('streams NDJSON: each queue event as in audit.jsonl, activity, notices, and a final summary', async () => {
    const stream = new PassThrough();
    let text = '';
    stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    const observer = createJsonObserver({ stream });
    const q = new QueueBuilder();
    observer.onRunStart?.({ program: 'integrate', runId: 'run-1', installDir: '/app', stateDir: '/app/.drover', detected: { framework: null, packageManager: null }, resumed: false, startedAt: T0 }, q.state);
    const a = q.enqueue({ type: 'a', label: 'A' });
    q.start(a);
    q.complete(a);
    for (const event of q.log) observer.onEvent?.(event, q.state);
    observer.onActivity?.(a, 'stub: finished A');
    observer.onNotice?.('telemetry is off');
    observer.onRunEnd?.({ verdict: { status: 'done', failed: [], blocked: [] }, exitCode: 0, state: q.state, endedAt: T0 + 9_000 });
    await observer.close?.();

    expect(text.endsWith('\n')).toBe(true);
    const lines = text.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.slice(0, q.log.length)).toEqual(JSON.parse(JSON.stringify(q.log)));
    expect(lines.slice(q.log.length)).toEqual([
      { event: 'activity', taskId: a, line: 'stub: finished A' },
      { event: 'notice', message: 'telemetry is off' },
      expect.objectContaining({ event: 'summary', verdict: 'done', exitCode: 0, runId: 'run-1', stateDir: '/app/.drover', durationMs: 9_000, tasks: expect.objectContaining({ total: 1, done: 1 }), resumeCommand: null }),
    ]);
  });
});
