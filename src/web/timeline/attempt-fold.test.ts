import { describe, expect, it } from 'vitest';
import type { QueueEvent, QueueEventDraft } from '../../queue/events.js';
import type { Task } from '../../queue/task.js';
import { AttemptFold } from './attempt-fold.js';

const task: Task = { id: 'fix-1', type: 'fix', label: 'Fix', status: 'pending', dependsOn: [], inputs: {}, attempts: 0, maxAttempts: 3, enqueuedBy: 'orchestrator', depth: 0, optional: false, createdAt: '2026-12-02T00:00:00.000Z' };

function fold(drafts: readonly QueueEventDraft[]): AttemptFold {
  const out = new AttemptFold();
  drafts.forEach((draft, i) => out.observe({ ...draft, seq: i + 1, ts: `2026-12-02T00:00:0${i}.000Z` } as QueueEvent));
  return out;
}

describe('AttemptFold', () => {
  it('records each attempt with its queue wait, a retry, and the final outcome with its error', () => {
    const attempts = fold([
      { event: 'task-enqueued', taskId: 'fix-1', task },
      { event: 'task-started', taskId: 'fix-1', attempt: 1 },
      { event: 'task-requeued', taskId: 'fix-1', error: { kind: 'timeout', message: 'timed out after 1s' } },
      { event: 'task-started', taskId: 'fix-1', attempt: 2 },
      { event: 'task-failed', taskId: 'fix-1', error: { kind: 'agent-failed', message: 'tests still fail' } },
    ]).forTask('fix-1');
    expect(attempts).toEqual([
      { taskId: 'fix-1', attempt: 1, enqueuedAt: '2026-12-02T00:00:00.000Z', startedAt: '2026-12-02T00:00:01.000Z', endedAt: '2026-12-02T00:00:02.000Z', outcome: 'retried', error: 'timed out after 1s', errorKind: 'timeout' },
      { taskId: 'fix-1', attempt: 2, enqueuedAt: '2026-12-02T00:00:02.000Z', startedAt: '2026-12-02T00:00:03.000Z', endedAt: '2026-12-02T00:00:04.000Z', outcome: 'failed', error: 'tests still fail', errorKind: 'agent-failed' },
    ]);
  });

  it('a retry from the dashboard starts the queue wait of the next attempt, which goes on numbering', () => {
    const attempts = fold([
      { event: 'task-enqueued', taskId: 'fix-1', task },
      { event: 'task-started', taskId: 'fix-1', attempt: 1 },
      { event: 'task-failed', taskId: 'fix-1', error: { kind: 'agent-failed', message: 'no' } },
      { event: 'task-retried', taskId: 'fix-1', maxAttempts: 3, unblocked: [], reopened: true, by: 'dashboard' },
      { event: 'task-started', taskId: 'fix-1', attempt: 2 },
    ]).forTask('fix-1');
    expect(attempts.map((a) => [a.attempt, a.outcome, a.enqueuedAt])).toEqual([
      [1, 'failed', '2026-12-02T00:00:00.000Z'],
      [2, 'running', '2026-12-02T00:00:03.000Z'],
    ]);
  });

  it('shows an attempt still going as running, and one a dead process left as interrupted at the resume', () => {
    const running = fold([{ event: 'task-enqueued', taskId: 'fix-1', task }, { event: 'task-started', taskId: 'fix-1', attempt: 1 }]);
    expect(running.all()).toMatchObject([{ outcome: 'running' }]);
    expect(running.all()[0]!.endedAt).toBeUndefined();
    const resumed = fold([
      { event: 'task-enqueued', taskId: 'fix-1', task },
      { event: 'task-started', taskId: 'fix-1', attempt: 1 },
      { event: 'run-resumed', runId: 'r', interrupted: ['fix-1'] },
      { event: 'task-started', taskId: 'fix-1', attempt: 1 },
      { event: 'task-completed', taskId: 'fix-1', handoff: { taskId: 'fix-1', type: 'fix', status: 'done', goal: 'g', did: 'd', forNextAgent: 'n', completedAt: '2026-12-02T00:00:04.000Z' } },
    ]);
    expect(resumed.all().map((a) => [a.attempt, a.outcome, a.enqueuedAt, a.endedAt])).toEqual([
      [1, 'interrupted', '2026-12-02T00:00:00.000Z', '2026-12-02T00:00:02.000Z'],
      [1, 'done', '2026-12-02T00:00:02.000Z', '2026-12-02T00:00:04.000Z'],
    ]);
  });
});
