import { describe, expect, it } from 'vitest';
import { GENERIC_FANOUT_RECONCILE_SUCCESS_STATUSES } from '../schemas/fanout-schema-ids.js';
import { judgeRecord } from './judge-record.js';

const defaults = new Set(GENERIC_FANOUT_RECONCILE_SUCCESS_STATUSES);
const agent = { statusMapping: 'homeboy-agent-task', successStatuses: defaults } as const;
const none = { statusMapping: 'none', successStatuses: defaults } as const;

describe('judgeRecord with the homeboy-agent-task mapping', () => {
  it('T21 status normalisation table (fixed where the reference went past the documented bridge)', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ status: 'succeeded' }, 'completed'],
      [{ status: 'no_op' }, 'completed'],
      [{ status: 'passed' }, 'completed'],
      [{ status: 'success' }, 'completed'],
      [{ status: 'accepted' }, 'failed'],
      [{ status: 'needs_review' }, 'failed'],
      [{ status: 'cancelled', outcome: { status: 'cancelled' } }, 'failed'],
      [{ status: 'follow_up_issue' }, 'failed'],
      [{ status: 'unable_to_remediate' }, 'failed'],
      [{ status: 'provider_error' }, 'failed'],
      [{ status: 'timeout' }, 'failed'],
      [{ status: 'candidate_recoverable' }, 'failed'],
      [{ status: 'pending' }, 'failed'],
      [{ status: 'missing_record' }, 'missing_record'],
      [{ status: 'weird', outcome: { status: 'no_op' } }, 'completed'],
      [{ state: 'succeeded' }, 'completed'],
      [{ status: 'failed', success: true }, 'failed'],
      [{}, 'failed'],
      [{ success: true }, 'completed'],
      [{ status: 'unknown', outcome_status: 'succeeded' }, 'completed'],
      [{ status: 'unknown', provider_status: 'no_op' }, 'completed'],
    ];
    for (const [record, status] of cases) {
      const judged = judgeRecord(record, agent);
      expect(judged.record['status'], JSON.stringify(record)).toBe(status);
      expect(judged.success, JSON.stringify(record)).toBe(status === 'completed');
    }
  });

  it('keeps the provider outcome at record.outcome.status and leaves the input alone', () => {
    const input = { id: 't', status: 'succeeded' };
    const judged = judgeRecord(input, agent);
    expect(judged.record).toEqual({ id: 't', status: 'completed', outcome: { status: 'succeeded' } });
    expect(input).toEqual({ id: 't', status: 'succeeded' });
    expect(judgeRecord({ status: 'timeout', outcome: { summary: 's' } }, agent).record).toEqual({ status: 'failed', outcome: { summary: 's', status: 'timeout' } });
    expect(judgeRecord({ status: 'succeeded', outcome: { status: 'succeeded', x: 1 } }, agent).record).toEqual({ status: 'completed', outcome: { status: 'succeeded', x: 1 } });
  });

  it('returns host-status records unchanged', () => {
    const record = { status: 'completed', outcome: { status: 'failed' } };
    expect(judgeRecord(record, agent)).toEqual({ record, success: true });
    expect(judgeRecord(record, agent).record).toBe(record);
  });

  it('T26 fixed: success_statuses add provider outcomes that count as completed', () => {
    const policy = { statusMapping: 'homeboy-agent-task', successStatuses: new Set(['passed', 'needs_review']) } as const;
    expect(judgeRecord({ status: 'needs_review' }, policy)).toEqual({ record: { status: 'completed', outcome: { status: 'needs_review' } }, success: true });
    expect(judgeRecord({ status: 'succeeded' }, policy).success).toBe(true);
  });
});

describe('judgeRecord without a mapping', () => {
  it('checks the status against success_statuses and leaves the record as it is', () => {
    const record = { status: 'succeeded' };
    expect(judgeRecord(record, none)).toEqual({ record, success: false });
    expect(judgeRecord({ status: ' passed ' }, none).success).toBe(true);
    expect(judgeRecord({ state: 'completed' }, none).success).toBe(true);
  });

  it('T22 fixed: success: true never overrides a failed status', () => {
    expect(judgeRecord({ status: 'failed', success: true }, none).success).toBe(false);
    expect(judgeRecord({ success: true }, none).success).toBe(true);
    expect(judgeRecord({ success: 'yes' }, none).success).toBe(false);
  });

  it('T26 fixed: custom success statuses are honoured', () => {
    const policy = { statusMapping: 'none', successStatuses: new Set(['passed', 'needs_review']) } as const;
    expect(judgeRecord({ status: 'needs_review' }, policy).success).toBe(true);
    expect(judgeRecord({ status: 'completed' }, policy).success).toBe(false);
  });

  it('never counts missing_record as a success', () => {
    expect(judgeRecord({ status: 'missing_record' }, { statusMapping: 'none', successStatuses: new Set(['missing_record']) }).success).toBe(false);
  });
});
