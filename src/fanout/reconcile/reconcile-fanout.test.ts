import { describe, expect, it } from 'vitest';
import { planFanout } from '../plan/plan-fanout.js';
import { reconcileFanout } from './reconcile-fanout.js';

const PLAN3 = planFanout({ config: { task_request_template: { id: 'task-{{group.key}}' } }, items: [{ id: 'a1', group_key: 'alpha' }, { id: 'b1', group_key: 'beta' }, { id: 'c1', group_key: 'gamma' }] });
const agentTask = { status_mapping: 'homeboy-agent-task' };

describe('reconcileFanout', () => {
  it('T19 full result shape; match by task_id; succeeded→completed under the agent-task mapping; missing_record', () => {
    const result = reconcileFanout({
      config: agentTask,
      plan: PLAN3,
      records: [
        { id: 'task-alpha', status: 'completed', outcome: { kind: 'ok' } },
        { task_id: 'task-beta', id: 'other', status: 'succeeded', outcome: { status: 'succeeded' } },
      ],
    });
    expect(result).toEqual({
      schema: 'homeboy/generic-fanout-reconcile-result/v1',
      plan_schema: 'homeboy/fanout-reconcile-plan/v1',
      orchestrator: {},
      summary: { item_count: 3, group_count: 3, task_count: 3, config_schema: 'homeboy/generic-fanout-reconcile-config/v1' },
      records: [
        { id: 'task-alpha', status: 'completed', outcome: { kind: 'ok' } },
        { task_id: 'task-beta', id: 'other', status: 'completed', outcome: { status: 'succeeded' } },
        { id: 'task-gamma', group_key: 'gamma', status: 'missing_record' },
      ],
      outcomes: [{ kind: 'ok' }, { status: 'succeeded' }],
      reconciliation: {
        schema: 'homeboy/generic-fanout-reconcile-reconciliation/v1',
        group_count: 3,
        task_count: 3,
        record_count: 3,
        success_count: 2,
        failure_count: 1,
        outcome_count: 2,
        failed_task_ids: ['task-gamma'],
        missing_count: 1,
        unmatched_count: 0,
        duplicate_count: 0,
        outcome_class_counts: { apply: 2, review: 0, retry: 1, report: 0 },
        no_change_count: 0,
        no_change_counts: {},
      },
      status: 'failed',
      unmatched_records: [],
      duplicate_records: [],
      outcome_classes: { apply: ['task-alpha', 'task-beta'], review: [], retry: ['task-gamma'], report: [] },
      no_change: [],
    });
    expect(Object.keys(result)).toEqual(['schema', 'plan_schema', 'orchestrator', 'summary', 'records', 'outcomes', 'reconciliation', 'status', 'unmatched_records', 'duplicate_records', 'outcome_classes', 'no_change']);
  });

  it('T19 without a mapping: "succeeded" is not a default success status', () => {
    const result = reconcileFanout({ plan: PLAN3, records: [{ id: 'task-alpha', status: 'succeeded' }] });
    expect(result.records[0]).toEqual({ id: 'task-alpha', status: 'succeeded' });
    expect(result.reconciliation.failed_task_ids).toEqual(['task-alpha', 'task-beta', 'task-gamma']);
  });

  it('T20 needs_review → failed (the upstream smoke test)', () => {
    const plan = planFanout({ config: { task_request_template: { id: 'task-{{group.key}}' } }, items: [{ group_key: 'alpha' }, { group_key: 'beta' }] });
    for (const config of [{}, agentTask]) {
      const result = reconcileFanout({
        config,
        plan,
        records: [
          { id: 'task-alpha', group_key: 'alpha', status: 'completed', outcome: { kind: 'processed' } },
          { id: 'task-beta', group_key: 'beta', status: 'needs_review', outcome: { kind: 'review' } },
        ],
      });
      expect(result.status).toBe('failed');
      expect(result.records.map((record) => record['id'])).toEqual(['task-alpha', 'task-beta']);
      expect(result.reconciliation.success_count).toBe(1);
      expect(result.reconciliation.failed_task_ids).toEqual(['task-beta']);
    }
  });

  it('T22 fixed: a failed record with success: true is a failure, and the run fails', () => {
    const result = reconcileFanout({ plan: planFanout({ items: [{ group_key: 'x' }] }), records: [{ id: 'fanout-x', status: 'failed', success: true }] });
    expect(result.status).toBe('failed');
    expect(result.records[0]?.['status']).toBe('failed');
    expect(result.reconciliation).toMatchObject({ success_count: 0, failure_count: 1, failed_task_ids: ['fanout-x'] });
  });

  it('T23 fixed: duplicates (last wins) and unknown or non-object records are reported, not dropped', () => {
    const result = reconcileFanout({ plan: PLAN3, records: [{ id: 'task-alpha', status: 'failed', n: 1 }, { id: 'task-alpha', status: 'completed', n: 2 }, { id: 'nobody', status: 'completed' }, 'junk'] });
    expect(result.status).toBe('failed');
    expect(result.records).toEqual([
      { id: 'task-alpha', status: 'completed', n: 2 },
      { id: 'task-beta', group_key: 'beta', status: 'missing_record' },
      { id: 'task-gamma', group_key: 'gamma', status: 'missing_record' },
    ]);
    expect(result.reconciliation).toMatchObject({ record_count: 3, success_count: 1, failure_count: 2, outcome_count: 0, failed_task_ids: ['task-beta', 'task-gamma'], missing_count: 2, unmatched_count: 2, duplicate_count: 1 });
    expect(result.unmatched_records).toEqual([
      { record_index: 2, reason: 'no_matching_task', record: { id: 'nobody', status: 'completed' } },
      { record_index: 3, reason: 'not_an_object', record: 'junk' },
    ]);
    expect(result.duplicate_records).toEqual([{ record_index: 0, task_id: 'task-alpha', kept_record_index: 1, record: { id: 'task-alpha', status: 'failed', n: 1 } }]);
  });

  it('T24 fixed: a record with only group_key matches the task with that group_key', () => {
    const result = reconcileFanout({ plan: planFanout({ items: [{ group_key: 'alpha' }] }), records: [{ group_key: 'alpha', status: 'completed' }] });
    expect(result.records).toEqual([{ group_key: 'alpha', status: 'completed' }]);
    expect(result.status).toBe('completed');
  });

  it('T25 fixed: sandbox_session_id is a match key, as the seed says', () => {
    const result = reconcileFanout({ plan: PLAN3, records: [{ sandbox_session_id: 'task-alpha', status: 'completed' }] });
    expect(result.records.map((record) => record['status'])).toEqual(['completed', 'missing_record', 'missing_record']);
  });

  it('T26 fixed: custom success_statuses work', () => {
    const plan = planFanout({ items: [{ group_key: 'a' }, { group_key: 'b' }] });
    const records = [{ id: 'fanout-a', status: 'passed' }, { id: 'fanout-b', status: 'needs_review' }];
    for (const mapping of ['none', 'homeboy-agent-task']) {
      const result = reconcileFanout({ config: { success_statuses: ['passed', 'needs_review'], status_mapping: mapping }, plan, records });
      expect(result.status, mapping).toBe('completed');
      expect(result.reconciliation, mapping).toMatchObject({ success_count: 2, failure_count: 0, failed_task_ids: [] });
    }
    expect(reconcileFanout({ config: { success_statuses: ['passed'] }, plan, records: [{ id: 'fanout-a', status: 'completed' }, { id: 'fanout-b', status: 'passed' }] }).reconciliation.failed_task_ids).toEqual(['fanout-a']);
  });

  it('T27 fixed: outcome_path; falsy outcomes that are present are kept, null and absent are not', () => {
    const result = reconcileFanout({
      config: { outcome_path: 'result.summary' },
      plan: PLAN3,
      records: [
        { id: 'task-alpha', status: 'completed', result: { summary: 'done' } },
        { id: 'task-beta', status: 'completed', result: { summary: '' } },
        { id: 'task-gamma', status: 'completed', result: { summary: 0 } },
      ],
    });
    expect(result.outcomes).toEqual(['done', '', 0]);
    expect(result.reconciliation.outcome_count).toBe(3);
    expect(result.status).toBe('completed');
    const more = reconcileFanout({ plan: PLAN3, records: [{ id: 'task-alpha', status: 'completed', outcome: false }, { id: 'task-beta', status: 'completed', outcome: null }, { id: 'task-gamma', status: 'completed' }] });
    expect(more.outcomes).toEqual([false]);
  });

  it('T28 fixed: include_summary false, base_run keys, result_schema and reconciliation_schema', () => {
    const result = reconcileFanout({ config: { include_summary: false, base_run: { run_id: 'R' }, result_schema: 'my/result/v2', reconciliation_schema: 'my/rec/v2' }, plan: PLAN3, records: [] });
    expect(Object.keys(result)).toEqual(['schema', 'plan_schema', 'orchestrator', 'run_id', 'records', 'outcomes', 'reconciliation', 'status', 'unmatched_records', 'duplicate_records', 'outcome_classes', 'no_change']);
    expect(result.schema).toBe('my/result/v2');
    expect(result.reconciliation.schema).toBe('my/rec/v2');
    expect(result.status).toBe('failed');
    expect(result.reconciliation.failed_task_ids).toEqual(['task-alpha', 'task-beta', 'task-gamma']);
    expect(() => reconcileFanout({ config: { base_run: { schema: 'overridden?' } }, plan: PLAN3 })).toThrow('config: $.base_run.schema: "schema" is set by the result itself and cannot come from base_run (use result_schema)');
  });

  it('T30 an empty plan is a vacuous success', () => {
    const result = reconcileFanout({ plan: planFanout() });
    expect(result).toMatchObject({ records: [], outcomes: [], status: 'completed', reconciliation: { group_count: 0, task_count: 0, record_count: 0, success_count: 0, failure_count: 0, outcome_count: 0, failed_task_ids: [] } });
  });

  it('T31 fixed: bad plans are input errors naming the JSON path', () => {
    const duplicate = { task_requests: [{ id: 'same' }, { id: 'x' }, { id: 'same' }] };
    expect(() => reconcileFanout({ plan: duplicate })).toThrow('plan: $.task_requests[2].id: duplicate task id "same" (also $.task_requests[0])');
    expect(() => reconcileFanout({ plan: { task_requests: [{}] } })).toThrow('plan: $.task_requests[0]: task request has no id: expected a non-empty id, task_id or group_key');
    expect(() => reconcileFanout({ plan: { task_requests: [{ id: '  ' }] } })).toThrow('plan: $.task_requests[0]: task request has no id');
    expect(() => reconcileFanout({ plan: { schema: 'x' } }, { sources: { plan: 'plan.json' } })).toThrow('plan.json: $.task_requests: expected array, got nothing');
    expect(() => reconcileFanout({ plan: { task_requests: [5] } })).toThrow('plan: $.task_requests[0]: expected object, got number');
    expect(() => reconcileFanout({ plan: null })).toThrow('plan: $: expected object, got null');
    expect(() => reconcileFanout({ plan: PLAN3, records: {} }, { sources: { records: 'r.json' } })).toThrow('r.json: $: expected array, got object');
  });

  it('T32 numeric ids are matched as text; a plan without orchestrator or summary leaves them out', () => {
    const result = reconcileFanout({ plan: { schema: 's', task_requests: [{ id: 5, group_key: 'g' }] }, records: [{ id: 5, status: 'completed' }] });
    expect(result).toMatchObject({ schema: 'homeboy/generic-fanout-reconcile-result/v1', plan_schema: 's', records: [{ id: 5, status: 'completed' }], status: 'completed' });
    expect(result.reconciliation).toMatchObject({ group_count: 0, task_count: 1, record_count: 1, success_count: 1, failure_count: 0, outcome_count: 0, failed_task_ids: [] });
    expect(result).not.toHaveProperty('orchestrator');
    expect(result).not.toHaveProperty('summary');
  });

  it('keeps records in plan order whatever order they arrive in', () => {
    const result = reconcileFanout({ plan: PLAN3, records: [{ id: 'task-gamma', status: 'completed' }, { id: ' task-alpha ', status: 'completed' }, { id: 'task-beta', status: 'completed' }] });
    expect(result.records.map((record) => record['id'])).toEqual([' task-alpha ', 'task-beta', 'task-gamma']);
  });

  it('the options pick the status mapping when the config does not', () => {
    const records = [{ id: 'task-alpha', status: 'succeeded' }, { id: 'task-beta', status: 'no_op' }, { id: 'task-gamma', status: 'succeeded' }];
    expect(reconcileFanout({ plan: PLAN3, records }, { defaultStatusMapping: 'homeboy-agent-task' }).status).toBe('completed');
    expect(reconcileFanout({ config: { status_mapping: 'none' }, plan: PLAN3, records }, { defaultStatusMapping: 'homeboy-agent-task' }).status).toBe('failed');
  });

  it('does not modify the plan or the records it is given', () => {
    const records = [{ id: 'task-alpha', status: 'succeeded' }];
    const before = JSON.stringify([PLAN3, records]);
    reconcileFanout({ config: agentTask, plan: PLAN3, records });
    expect(JSON.stringify([PLAN3, records])).toBe(before);
  });
});
