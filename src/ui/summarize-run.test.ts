import { describe, expect, it } from 'vitest';
import { QueueBuilder } from '../testing/queue-builder.js';
import { createRunViewRecorder } from './create-run-view-recorder.js';
import { summarizeRun } from './summarize-run.js';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');

describe('summarizeRun', () => {
  it('measures the run as telemetry does: total duration, time to the first task, and the longest silence, the wait for the end included', () => {
    const q = new QueueBuilder();
    const recorder = createRunViewRecorder();
    recorder.onRunStart({ program: 'integrate', runId: 'run-1', installDir: '/app', stateDir: '/app/.drover', detected: { framework: null, packageManager: null }, resumed: false, startedAt: T0, kept: { kind: 'state-dir', handoffsDir: '/app/.drover/handoffs' } }, q.state);
    // The builder's clock moves 1s per stamp: run-started at +1s, the enqueue at +3s.
    const a = q.enqueue({ type: 'a' });
    q.start(a); // +4s: the first task
    q.requeue(a); // +5s: the list shows the retry, so this ends a silence
    for (let i = 0; i < 3; i += 1) q.now();
    q.start(a); // +9s: 4s of silence
    q.complete(a); // +11s; then nothing until the end at +20s: 9s
    for (const event of q.log) recorder.onEvent(event, q.state);
    const end = { verdict: { status: 'done', failed: [], blocked: [] }, exitCode: 0, state: q.state, endedAt: T0 + 20_000 } as const;
    recorder.onRunEnd(end);
    const summary = summarizeRun(recorder.model(), end);
    expect(summary).toMatchObject({
      verdict: 'done',
      exitCode: 0,
      durationMs: 20_000,
      timeToFirstTaskMs: 4_000,
      maxGapMs: 9_000,
      stateDir: '/app/.drover',
      handoffsDir: '/app/.drover/handoffs',
      resumeCommand: null,
      tasks: { total: 1, done: 1, finished: 1, failed: 0 },
    });
  });

  it('has no time to a first task when none started, and a resume command when interrupted', () => {
    const q = new QueueBuilder();
    q.enqueue({ type: 'a' });
    const recorder = createRunViewRecorder();
    recorder.onRunStart({ program: 'integrate', runId: 'run-1', installDir: '/app', stateDir: '/app/.drover', detected: { framework: null, packageManager: null }, resumed: false, startedAt: T0 }, q.state);
    const end = { verdict: { status: 'interrupted', unfinished: ['a-1'], failed: [], blocked: [] }, exitCode: 130, state: q.state, endedAt: T0 + 500 } as const;
    recorder.onRunEnd(end);
    const summary = summarizeRun(recorder.model(), end);
    expect(summary).toMatchObject({ timeToFirstTaskMs: null, maxGapMs: 500, unfinished: ['a-1'], resumeCommand: 'drover run --install-dir /app --resume' });
  });

  it('for a run kept in a store: no handoffs folder (they are in the database), and drover worker continues it', () => {
    const q = new QueueBuilder();
    q.enqueue({ type: 'a' });
    const recorder = createRunViewRecorder();
    recorder.onRunStart({ program: 'integrate', runId: 'run-1', installDir: '/app', stateDir: '/app/.drover', detected: { framework: null, packageManager: null }, resumed: false, startedAt: T0, kept: { kind: 'store' } }, q.state);
    const end = { verdict: { status: 'interrupted', unfinished: ['a-1'], failed: [], blocked: [] }, exitCode: 130, state: q.state, endedAt: T0 + 500 } as const;
    recorder.onRunEnd(end);
    const summary = summarizeRun(recorder.model(), end);
    expect(summary.handoffsDir).toBeNull();
    expect(summary.resumeCommand).toMatch(/^(npx )?drover worker --store URL --run run-1$/);
  });
});
