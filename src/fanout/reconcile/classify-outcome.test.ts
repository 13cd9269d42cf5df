import { describe, expect, it } from 'vitest';
import { classifyOutcome, compileOutcomeClasses } from './classify-outcome.js';
import { reconcileFanout } from './reconcile-fanout.js';

const defaults = compileOutcomeClasses(undefined);
const classOf = (record: Record<string, unknown>, success: boolean, policy = defaults) => classifyOutcome(record, success, policy);

describe('classifyOutcome', () => {
  it('maps provider outcomes as Homeboy does: approved → apply, rejected → report, provider error/timeout → retry, no-op/unable to remediate → review', () => {
    expect(classOf({ status: 'completed', outcome: { status: 'succeeded', files_changed: ['a.ts'] } }, true)).toEqual({ outcomeClass: 'apply', noChange: undefined });
    expect(classOf({ status: 'failed', outcome: { status: 'rejected' } }, false).outcomeClass).toBe('report');
    expect(classOf({ status: 'failed', outcome: { status: 'false_positive' } }, false).outcomeClass).toBe('report');
    expect(classOf({ status: 'failed', outcome: { status: 'provider_error' } }, false).outcomeClass).toBe('retry');
    expect(classOf({ status: 'failed', provider_status: 'timeout' }, false).outcomeClass).toBe('retry');
    expect(classOf({ id: 't', status: 'missing_record' }, false).outcomeClass).toBe('retry');
    expect(classOf({ status: 'failed', outcome: { status: 'unable_to_remediate' } }, false).outcomeClass).toBe('review');
    expect(classOf({ status: 'completed', outcome: { status: 'no_op' } }, true)).toEqual({ outcomeClass: 'review', noChange: 'already-done' });
  });

  it('a success that changed nothing is counted apart: already-done, analysis-only, or the record\'s own reason; it is reported, not applied', () => {
    expect(classOf({ status: 'completed', outcome: { handoff: { did: 'audited', filesTouched: [] } } }, true)).toEqual({ outcomeClass: 'report', noChange: 'analysis-only' });
    expect(classOf({ status: 'completed', changed_files: [] }, true)).toEqual({ outcomeClass: 'report', noChange: 'analysis-only' });
    expect(classOf({ status: 'completed', no_change: 'already-done' }, true)).toEqual({ outcomeClass: 'report', noChange: 'already-done' });
    expect(classOf({ status: 'completed', outcome: { no_change: true } }, true)).toEqual({ outcomeClass: 'report', noChange: 'no-change' });
    // A failure never counts as "no change": nothing succeeded.
    expect(classOf({ status: 'failed', changed_files: [] }, false)).toEqual({ outcomeClass: 'review', noChange: undefined });
  });

  it('a failure whose status word maps to apply falls back to the failure class; unknown words use the fallbacks', () => {
    expect(classOf({ status: 'completed' }, false).outcomeClass).toBe('review');
    expect(classOf({ status: 'weird' }, true).outcomeClass).toBe('apply');
    expect(classOf({ status: 'weird' }, false).outcomeClass).toBe('review');
  });

  it('is configurable: a record can name its class, the map extends the defaults, and the fallbacks can change', () => {
    const policy = compileOutcomeClasses({ map: { needs_human: 'review', flaky: 'retry' }, failure: 'retry', no_change: 'apply', class_path: 'verdict' });
    expect(classOf({ status: 'completed', verdict: 'report' }, true, policy).outcomeClass).toBe('report');
    expect(classOf({ status: 'failed', outcome: { status: 'flaky' } }, false, policy).outcomeClass).toBe('retry');
    expect(classOf({ status: 'failed' }, false, policy).outcomeClass).toBe('review');
    expect(classOf({ status: 'exploded' }, false, policy).outcomeClass).toBe('retry');
    expect(classOf({ status: 'completed', changed_files: [] }, true, policy).outcomeClass).toBe('apply');
  });
});

describe('reconcileFanout outcome classes', () => {
  const plan = { task_requests: ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => ({ id })) };
  it('lists each planned task under its class, in plan order, and counts classes and no-change reasons in the reconciliation', () => {
    const result = reconcileFanout({
      config: { status_mapping: 'homeboy-agent-task' },
      plan,
      records: [
        { id: 'a', status: 'succeeded', files_changed: ['x.ts'] },
        { id: 'b', status: 'no_op' },
        { id: 'c', status: 'timeout' },
        { id: 'd', status: 'rejected' },
        { id: 'e', status: 'succeeded', outcome: { handoff: { filesTouched: [] } } },
      ],
    });
    expect(result.outcome_classes).toEqual({ apply: ['a'], review: ['b'], retry: ['c', 'f'], report: ['d', 'e'] });
    expect(result.no_change).toEqual([{ task_id: 'b', reason: 'already-done' }, { task_id: 'e', reason: 'analysis-only' }]);
    expect(result.reconciliation).toMatchObject({ outcome_class_counts: { apply: 1, review: 1, retry: 2, report: 2 }, no_change_count: 2, no_change_counts: { 'already-done': 1, 'analysis-only': 1 } });
  });

  it('counts a reason named "__proto__" as data', () => {
    const result = reconcileFanout({ plan: { task_requests: [{ id: 'a' }] }, records: [{ id: 'a', status: 'completed', no_change: '__proto__' }] });
    expect(JSON.stringify(result.reconciliation.no_change_counts)).toBe('{"__proto__":1}');
  });
});
