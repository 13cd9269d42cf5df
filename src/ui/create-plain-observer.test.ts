import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { RunObserver } from '../queue/run-observer.js';
import { QueueBuilder } from '../testing/queue-builder.js';
import { createPlainObserver } from './create-plain-observer.js';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  return { stream, text: () => text };
}

/** Tells the observer of every event as it is applied, with the state right after it, as the queue's subscription does. */
function observe(q: QueueBuilder, observer: RunObserver): void {
  const emit = q.emit.bind(q);
  q.emit = (draft) => {
    const event = emit(draft);
    observer.onEvent?.(event, q.state);
    return event;
  };
}

describe('createPlainObserver', () => {
  it('prints one plain line per visible change with [finished/total], then the summary block', async () => {
    const { stream, text } = capture();
    const observer = createPlainObserver({ stream });
    const q = new QueueBuilder();
    observer.onRunStart?.({ program: 'integrate', runId: 'run-1', installDir: '/app', stateDir: '/app/.drover', detected: { framework: 'nextjs', packageManager: 'npm' }, resumed: false, startedAt: T0, kept: { kind: 'state-dir', handoffsDir: '/app/.drover/handoffs' } }, q.state);
    observe(q, observer);
    const install = q.enqueue({ type: 'install', label: 'Install the SDK' });
    const plan = q.enqueue({ type: 'plan', label: 'Plan the events' });
    const report = q.enqueue({ type: 'report', label: 'Write the report', dependsOn: [install, plan] });
    q.emit({ event: 'run-seeded', taskCount: 3 });
    q.start(install);
    observer.onActivity?.(install, 'stub: starting');
    q.complete(install);
    q.start(plan);
    const llm = q.enqueue({ type: 'llm-analytics', label: 'Track the LLM calls' }, plan);
    q.emit({ event: 'guard-tripped', guard: 'duplicate', message: 'Task llm-analytics-4 already exists.', caller: plan, tool: 'enqueue_task', type: 'llm-analytics' });
    q.requeue(plan);
    q.start(plan);
    q.complete(plan);
    q.start(llm);
    q.fail(llm);
    observer.onNotice?.('Stopping: press Ctrl-C again to force.');
    observer.onRunEnd?.({ verdict: { status: 'failed', failed: [llm], blocked: [report] }, exitCode: 1, state: q.state, endedAt: T0 + 30_000 });
    await observer.close?.();

    expect(text()).toBe(
      [
        'drover integrate · run run-1 · /app (nextjs, npm)',
        'seeded 3 tasks',
        '[0/3] ▶ install-1 · Install the SDK',
        '[1/3] ✔ install-1 · Install the SDK · 2.0s',
        '[1/3] ▶ plan-2 · Plan the events',
        '[1/4] + llm-analytics-4 · Track the LLM calls · ↳ by plan-2',
        '[1/4] ⚠ guard duplicate · plan-2 called enqueue_task: Task llm-analytics-4 already exists.',
        '[1/4] ↻ plan-2 · Plan the events · attempt failed (no-report: no report); will retry, 1/2 attempts used',
        '[1/4] ▶ plan-2 · Plan the events · attempt 2/2',
        '[2/4] ✔ plan-2 · Plan the events · 2.0s',
        '[2/4] ▶ llm-analytics-4 · Track the LLM calls',
        '[3/4] ✖ llm-analytics-4 · Track the LLM calls · failed: failed',
        '[4/4] ⊘ report-3 · Write the report · blocked by llm-analytics-4',
        '! Stopping: press Ctrl-C again to force.',
        '',
        '✖ Run failed · exit 1',
        '  4 tasks: 2 done · 1 failed · 1 blocked',
        '  took 30.0s · first task after 9.0s · longest gap 8.0s',
        '  ✖ llm-analytics-4: failed',
        '  ⊘ 1 task stranded behind a failed dependency:',
        '    report: report-3',
        '  state     /app/.drover',
        '  handoffs  /app/.drover/handoffs',
        '',
      ].join('\n'),
    );
  });

  it('prints the dashboard\'s actions with who asked, and a cancelled run\'s summary names who cancelled it', async () => {
    const { stream, text } = capture();
    const observer = createPlainObserver({ stream });
    const q = new QueueBuilder();
    observer.onRunStart?.({ program: 'integrate', runId: 'run-1', installDir: '/app', stateDir: '/app/.drover', detected: { framework: null, packageManager: null }, resumed: false, startedAt: T0 }, q.state);
    observe(q, observer);
    const build = q.enqueue({ type: 'build', label: 'Build' });
    const deploy = q.enqueue({ type: 'deploy', label: 'Deploy', dependsOn: [build] });
    q.start(build);
    q.fail(build);
    q.emit({ event: 'task-retried', taskId: build, maxAttempts: 4, unblocked: [deploy], reopened: false, by: 'dashboard', address: '127.0.0.1' });
    q.start(build);
    q.emit({ event: 'run-cancel-requested', by: 'dashboard', address: '127.0.0.1' });
    q.emit({ event: 'task-requeued', taskId: build, error: { kind: 'interrupted', message: 'cancelled' }, attempts: 1 });
    q.emit({ event: 'run-finished', verdict: 'cancelled', failed: [], blocked: [] });
    observer.onRunEnd?.({ verdict: { status: 'cancelled', unfinished: [build, deploy], failed: [], blocked: [] }, exitCode: 5, state: q.state, endedAt: T0 + 1000 });
    await observer.close?.();
    expect(text()).toContain(`${build} · Build · retried from the dashboard (127.0.0.1); 1 blocked task waits for it again`);
    expect(text()).toContain('cancel requested from the dashboard (127.0.0.1): running tasks are being stopped');
    expect(text()).toContain('Run cancelled · exit 5');
    expect(text()).toMatch(/cancelled by the dashboard \(127\.0\.0\.1\) at 2026-/);
  });

  it('prints activity only when asked, in ASCII when asked, and never an escape code', async () => {
    const { stream, text } = capture();
    const observer = createPlainObserver({ stream, activity: true, ascii: true });
    const q = new QueueBuilder();
    observer.onRunStart?.({ program: 'integrate', runId: 'run-1', installDir: '/app', stateDir: '/app/.drover', detected: { framework: null, packageManager: null }, resumed: true, startedAt: T0 }, q.state);
    observe(q, observer);
    const a = q.enqueue({ type: 'a', label: 'Do \u001b[1mA\u001b[0m' });
    q.start(a);
    observer.onActivity?.(a, '\u001b[32mcompiling\u001b[0m\n');
    await observer.close?.();
    expect(text()).toBe(['drover integrate | run run-1 | /app (no framework detected)', 'resuming: [0/0] tasks already finished', '[0/1] > a-1 | Do A', '    a-1 > compiling', ''].join('\n'));
  });
});
