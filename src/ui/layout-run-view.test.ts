import { describe, expect, it } from 'vitest';
import type { RunEndInfo } from '../queue/run-observer.js';
import { QueueBuilder } from '../testing/queue-builder.js';
import { createRunViewRecorder, type RunViewRecorder } from './create-run-view-recorder.js';
import { layoutRunView, type LayoutOptions } from './layout-run-view.js';
import { textWidth } from './text-width.js';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const ESC = '\u001b';

/** A queue and a recorder that has seen its whole log. */
function runOf(build: (q: QueueBuilder) => void, resumed = false): { q: QueueBuilder; recorder: RunViewRecorder } {
  const q = new QueueBuilder();
  const recorder = createRunViewRecorder();
  recorder.onRunStart({ program: 'integrate', runId: 'run-1', installDir: '/work/app', stateDir: '/work/app/.drover', detected: { framework: 'nextjs', packageManager: 'pnpm' }, resumed, startedAt: T0, kept: { kind: 'state-dir', handoffsDir: '/work/app/.drover/handoffs' } }, q.state);
  build(q);
  for (const event of q.log) recorder.onEvent(event, q.state);
  return { q, recorder };
}

function view(recorder: RunViewRecorder, options: Partial<LayoutOptions> = {}): string[] {
  return layoutRunView(recorder.model(), { width: 80, height: 40, now: T0 + 600_000, color: false, ...options });
}

function rowOf(lines: readonly string[], id: string): string {
  const row = lines.find((line) => line.includes(` ${id} `));
  if (row === undefined) throw new Error(`no row for ${id} in:\n${lines.join('\n')}`);
  return row;
}

function end(q: QueueBuilder, verdict: RunEndInfo['verdict'], exitCode: number, endedAt = T0 + 90_000): RunEndInfo {
  return { verdict, exitCode, state: q.state, endedAt };
}

describe('layoutRunView', () => {
  it('shows the program, install dir, detected framework, run id and elapsed time in the header', () => {
    const { recorder } = runOf(() => {});
    const [title, where] = view(recorder, { now: T0 + 65_000 });
    expect(title).toMatch(/^drover integrate · run run-1 +1m 05s$/);
    expect(where).toBe('/work/app · nextjs · pnpm');
  });

  it('says when nothing was detected and when the run was resumed', () => {
    const q = new QueueBuilder();
    const recorder = createRunViewRecorder();
    recorder.onRunStart({ program: 'integrate', runId: 'run-1', installDir: '/app', stateDir: '/app/.drover', detected: { framework: null, packageManager: null }, resumed: true, startedAt: T0 }, q.state);
    const [title, where] = view(recorder);
    expect(title).toContain('resumed');
    expect(where).toBe('/app · no framework detected');
  });

  it('gives each status its mark, with progress as finished/total', () => {
    const { recorder } = runOf((q) => {
      const done = q.enqueue({ type: 'done', label: 'Finished work' });
      const failed = q.enqueue({ type: 'failed', label: 'Broken work' });
      q.enqueue({ type: 'blocked', label: 'Waits on broken', dependsOn: [failed] });
      const skipped = q.enqueue({ type: 'skipped', label: 'Not needed' });
      const running = q.enqueue({ type: 'running', label: 'Busy now' });
      q.enqueue({ type: 'pending', label: 'Later' });
      q.start(done);
      q.complete(done);
      q.start(skipped);
      q.complete(skipped, 'skipped');
      q.start(failed);
      q.fail(failed);
      q.start(running);
    });
    const lines = view(recorder);
    expect(lines[2]).toMatch(/^\[4\/6\] ━+─+ 1 done · 1 running · 1 pending · 1 skipped · 1 failed · 1 blocked$/);
    expect(rowOf(lines, 'done-1')).toMatch(/^ {2}✔ done-1 +Finished work +2\.0s$/);
    expect(rowOf(lines, 'failed-2')).toMatch(/^ {2}✖ failed-2 +Broken work +failed$/);
    expect(rowOf(lines, 'blocked-3')).toMatch(/^ {2}⊘ blocked-3 +Waits on broken +blocked by failed-2$/);
    expect(rowOf(lines, 'skipped-4')).toMatch(/^ {2}↷ skipped-4 +Not needed +skipped · 2\.0s$/);
    expect(rowOf(lines, 'running-5')).toMatch(/^ {2}[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] running-5 +Busy now +9m 37s$/);
    expect(rowOf(lines, 'pending-6')).toMatch(/^ {2}○ pending-6 +Later$/);
  });

  it("shows a running task's elapsed time and a spinner that moves with the clock", () => {
    const { q, recorder } = runOf((q) => q.start(q.enqueue({ type: 'init', label: 'Initialise PostHog' })));
    const startedAt = Date.parse(q.state.tasks.get('init-1')!.startedAt!);
    const first = rowOf(view(recorder, { now: startedAt + 3_200 }), 'init-1');
    const next = rowOf(view(recorder, { now: startedAt + 3_300 }), 'init-1');
    expect(first).toMatch(/3\.2s$/);
    expect(next).toMatch(/3\.3s$/);
    expect(first.slice(0, 3)).not.toBe(next.slice(0, 3));
  });

  it('lists tasks by dependency depth, keeping enqueue order within a depth', () => {
    const { recorder } = runOf((q) => {
      const a = q.enqueue({ type: 'a' });
      const b = q.enqueue({ type: 'b', dependsOn: [a] });
      q.enqueue({ type: 'c', dependsOn: [b] });
      q.enqueue({ type: 'd' });
      q.enqueue({ type: 'e', dependsOn: [a] });
    });
    const ids = view(recorder)
      .map((line) => /^ {2}\S (\S+)/.exec(line)?.[1])
      .filter((id) => id !== undefined);
    expect(ids).toEqual(['a-1', 'd-4', 'b-2', 'e-5', 'c-3']);
  });

  it('says who enqueued a dynamic task, and shows attempts past the first', () => {
    const { recorder } = runOf((q) => {
      const plan = q.enqueue({ type: 'plan', label: 'Plan the events' });
      q.start(plan);
      const llm = q.enqueue({ type: 'llm', label: 'Track the LLM calls' }, plan);
      q.complete(plan);
      q.start(llm);
      q.requeue(llm);
      q.start(llm);
    });
    const row = rowOf(view(recorder), 'llm-2');
    expect(row).toContain('↳ by plan-1');
    expect(row).toContain('attempt 2/2');
  });

  it('shows a task waiting for its retry', () => {
    const { recorder } = runOf((q) => {
      const a = q.enqueue({ type: 'a', label: 'Flaky' });
      q.start(a);
      q.requeue(a);
    });
    expect(rowOf(view(recorder), 'a-1')).toMatch(/○ a-1 +Flaky +↻ retry, attempt 2\/2 next$/);
  });

  it('fits every line into the width, cutting long labels with … and keeping the status', () => {
    const { recorder } = runOf((q) => {
      const a = q.enqueue({ type: 'a', label: `Instrument ${'every single page '.repeat(8)}` });
      q.start(a);
      q.enqueue({ type: 'a-very-long-task-type-name-indeed', label: '漢字のラベル '.repeat(10) });
    });
    for (const width of [80, 60, 40]) {
      const lines = view(recorder, { width });
      for (const line of lines) expect(textWidth(line)).toBeLessThanOrEqual(width);
      expect(rowOf(lines, 'a-1')).toMatch(/… +(\d+m )?\d+(\.\d)?s$/);
    }
  });

  it('collapses finished work and the pending tail so running tasks stay in view of a short terminal', () => {
    const { recorder } = runOf((q) => {
      const ids = Array.from({ length: 40 }, (_, i) => q.enqueue({ type: `t${i}`, label: `Task ${i}` }));
      for (const id of ids.slice(0, 30)) {
        q.start(id);
        q.complete(id);
      }
      q.start(ids[30]!);
      q.start(ids[31]!);
    });
    const lines = view(recorder, { height: 12 });
    expect(lines.length).toBeLessThanOrEqual(12);
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}✔ \d+ done$/));
    expect(rowOf(lines, 't30-31')).toContain('Task 30');
    expect(rowOf(lines, 't31-32')).toContain('Task 31');
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}… \d+ more pending$/));
    const hiddenDone = Number(/✔ (\d+) done/.exec(lines.join('\n'))![1]);
    const shownDone = lines.filter((line) => /^ {2}✔ t/.test(line)).length;
    const shownPending = lines.filter((line) => /^ {2}○ t/.test(line)).length;
    const morePending = Number(/(\d+) more pending/.exec(lines.join('\n'))![1]);
    expect(hiddenDone + shownDone).toBe(30);
    expect(shownPending + morePending).toBe(8);
  });

  it('keeps failures in view when collapsing', () => {
    const { recorder } = runOf((q) => {
      const ids = Array.from({ length: 30 }, (_, i) => q.enqueue({ type: `t${i}`, optional: true }));
      for (const id of ids) {
        q.start(id);
        if (id === 't3-4') q.fail(id);
        else q.complete(id);
      }
    });
    expect(rowOf(view(recorder, { height: 12 }), 't3-4')).toContain('✖');
  });

  it('shows the latest agent activity, guard trips and notices under the list', () => {
    const { recorder } = runOf((q) => {
      const a = q.enqueue({ type: 'plan' });
      q.start(a);
      q.emit({ event: 'guard-tripped', guard: 'max-children', message: 'Too many children.', caller: a, tool: 'enqueue_task' });
    });
    recorder.onActivity('plan-1', 'reading \u001b[31mapp/page.tsx\u001b[0m\nnext line');
    recorder.onNotice('telemetry is off');
    const text = view(recorder).join('\n');
    expect(text).toContain('› plan-1  reading app/page.tsx next line');
    expect(text).toContain('⚠ guard max-children plan-1 · enqueue_task: Too many children.');
    expect(text).toContain('⚠ 1 guard trip');
    expect(text).toContain('! telemetry is off');
  });

  it('after Ctrl-C, says the run is stopping, how to resume it and how to force it', () => {
    const { recorder } = runOf((q) => q.start(q.enqueue({ type: 'a' })));
    recorder.markStopping();
    expect(view(recorder).slice(-3)).toEqual(['■ stopping… the run is resumable:', '  drover run --install-dir /work/app --resume', '  press Ctrl-C again to force']);
  });

  it('uses no escape codes without colour (NO_COLOR) and colours marks with it', () => {
    const { recorder } = runOf((q) => {
      const a = q.enqueue({ type: 'a' });
      q.start(a);
      q.complete(a);
    });
    expect(view(recorder, { color: false }).join('\n')).not.toContain(ESC);
    expect(view(recorder, { color: true }).join('\n')).toContain(`${ESC}[32m✔${ESC}[39m`);
  });

  it('has ASCII marks for terminals without Unicode', () => {
    const { recorder } = runOf((q) => {
      const a = q.enqueue({ type: 'a' });
      q.enqueue({ type: 'b' });
      q.start(a);
      q.complete(a);
    });
    const lines = view(recorder, { ascii: true });
    expect(rowOf(lines, 'a-1')).toMatch(/^ {2}\+ a-1/);
    expect(rowOf(lines, 'b-2')).toMatch(/^ {2}o b-2/);
    expect(lines.join('')).toMatch(/^[\x20-\x7e]*$/);
  });

  it('never uses more lines than the height, even a tiny one', () => {
    const { recorder } = runOf((q) => {
      for (let i = 0; i < 20; i += 1) q.enqueue({ type: `t${i}` });
    });
    recorder.onActivity('t0-1', 'busy');
    for (const height of [1, 3, 5, 8]) expect(view(recorder, { height }).length).toBeLessThanOrEqual(height);
  });

  it('before seeding, says the seed step is planning', () => {
    const { recorder } = runOf(() => {});
    expect(view(recorder).join('\n')).toContain('no tasks yet; the seed step is planning the run…');
  });

  describe('at the end', () => {
    it('shows the verdict with its exit code, counts, pacing, and where the state and handoffs are', () => {
      const { q, recorder } = runOf((q) => {
        const a = q.enqueue({ type: 'a' });
        const b = q.enqueue({ type: 'b' });
        q.start(a);
        q.complete(a);
        q.start(b);
        q.complete(b, 'skipped');
      });
      recorder.onRunEnd(end(q, { status: 'done', failed: [], blocked: [] }, 0));
      const text = view(recorder).join('\n');
      expect(text).toContain('✔ Run done · exit 0\n  2 tasks: 1 done · 1 skipped\n');
      expect(text).toContain('took 1m 30s · first task after 6.0s · longest gap 1m 19s');
      expect(text).toContain('state     /work/app/.drover');
      expect(text).toContain('handoffs  /work/app/.drover/handoffs');
      expect(text).not.toContain('resume');
      expect(view(recorder)[0]).toMatch(/1m 30s$/);
    });

    it('names what failed and what it blocked', () => {
      const { q, recorder } = runOf((q) => {
        const a = q.enqueue({ type: 'init' });
        q.enqueue({ type: 'report', dependsOn: [a] });
        q.start(a);
        q.fail(a);
      });
      recorder.onRunEnd(end(q, { status: 'failed', failed: ['init-1'], blocked: ['report-2'] }, 1));
      const text = view(recorder).join('\n');
      expect(text).toContain('✖ Run failed · exit 1');
      expect(text).toContain('2 tasks: 0 done · 1 failed · 1 blocked');
      expect(text).toContain('✖ init-1: failed');
      expect(text).toContain('⊘ 1 task stranded behind a failed dependency:');
      expect(text).toContain('report: report-2');
    });

    it('names every task stranded behind a failure, grouped by type, however many there are', () => {
      const { q, recorder } = runOf((q) => {
        const a = q.enqueue({ type: 'init' });
        for (let i = 0; i < 12; i += 1) q.enqueue({ type: i % 2 === 0 ? 'capture' : 'verify', inputs: { i }, dependsOn: [a] });
        q.start(a);
        q.fail(a);
      });
      const blocked = q.state.byPosition.filter((task) => task.status === 'blocked').map((task) => task.id);
      recorder.onRunEnd(end(q, { status: 'failed', failed: ['init-1'], blocked }, 1));
      const text = view(recorder).join('\n');
      expect(text).toContain('⊘ 12 tasks stranded behind a failed dependency:');
      expect(text).toContain('capture: capture-2, capture-4, capture-6, capture-8, capture-10, capture-12');
      expect(text).toContain('verify: verify-3, verify-5, verify-7, verify-9, verify-11, verify-13');
    });

    it('when interrupted, says how to resume, with --state-dir when it is not the default', () => {
      const q = new QueueBuilder();
      const recorder = createRunViewRecorder();
      recorder.onRunStart({ program: 'integrate', runId: 'r', installDir: '/work/my app', stateDir: '/tmp/state', detected: { framework: null, packageManager: null }, resumed: false, startedAt: T0 }, q.state);
      q.enqueue({ type: 'a' });
      for (const event of q.log) recorder.onEvent(event, q.state);
      recorder.markStopping();
      recorder.onRunEnd(end(q, { status: 'interrupted', unfinished: ['a-1'], failed: [], blocked: [] }, 130));
      const text = view(recorder, { width: 120 }).join('\n');
      expect(text).toContain('■ Run interrupted · exit 130');
      expect(text).toContain('1 unfinished');
      expect(text).toContain("resume    drover run --install-dir '/work/my app' --state-dir /tmp/state --resume");
      expect(text).not.toContain('stopping');
    });

    it('warns when the run had no tasks at all, instead of looking like a success', () => {
      const { q, recorder } = runOf(() => {});
      recorder.onRunEnd(end(q, { status: 'done', failed: [], blocked: [] }, 0));
      expect(view(recorder).join('\n')).toContain('no tasks were enqueued, so nothing ran');
    });
  });
});

describe('write scopes in the view', () => {
  it('says why a ready task waits: a running task writes where it would', () => {
    const { recorder } = runOf((q) => {
      const api = q.enqueue({ type: 'edit-api', label: 'Edit the API', writes: ['app/api/**'] });
      q.enqueue({ type: 'edit-route', label: 'Edit one route', writes: ['app/api/chat/route.ts'] });
      q.enqueue({ type: 'edit-docs', label: 'Edit the docs', writes: ['docs/**'] });
      q.enqueue({ type: 'later', label: 'After the API', writes: ['app/**'], dependsOn: [api] });
      q.start(api);
    });
    const lines = view(recorder);
    expect(rowOf(lines, 'edit-route-2')).toContain('waits for edit-api-1: overlapping writes');
    expect(rowOf(lines, 'edit-docs-3')).not.toContain('waits for');
    // Not ready yet (its dependency runs): it waits for that, not for a write scope.
    expect(rowOf(lines, 'later-4')).not.toContain('waits for');
  });
});
