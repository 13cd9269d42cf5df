import { describe, expect, it } from 'vitest';
import { InputError } from '../../errors/input-error.js';
import { compileFanoutConfig } from './compile-fanout-config.js';

describe('compileFanoutConfig', () => {
  it('applies the reference defaults to an empty or absent config', () => {
    for (const config of [undefined, null, {}]) {
      const compiled = compileFanoutConfig(config);
      expect(compiled.schema).toBe('homeboy/generic-fanout-reconcile-config/v1');
      expect(compiled.planSchema).toBe('homeboy/fanout-reconcile-plan/v1');
      expect(compiled.resultSchema).toBe('homeboy/generic-fanout-reconcile-result/v1');
      expect(compiled.reconciliationSchema).toBe('homeboy/generic-fanout-reconcile-reconciliation/v1');
      expect([...compiled.successStatuses]).toEqual(['completed', 'success', 'passed']);
      expect(compiled.outcomePath).toEqual(['outcome']);
      expect(compiled.groupKeyPaths).toEqual([['group_key']]);
      expect(compiled.includeSummary).toBe(true);
      expect(compiled.statusMapping).toBeUndefined();
    }
  });

  it('resolves every alias', () => {
    const compiled = compileFanoutConfig({
      groupBy: 'meta.cat',
      taskRequestTemplate: { id: 'x' },
      runtimeExecution: { r: 1 },
      planSchema: 'p/v2',
      reconciliationSchema: 'r/v2',
      outcomePath: 'result.summary',
      resultSchema: 'res/v2',
      statusMapping: 'homeboy-agent-task',
    });
    expect(compiled.groupKeyPaths).toEqual([['meta', 'cat']]);
    expect(compiled.taskRequestTemplate).toEqual({ id: 'x' });
    expect(compiled.taskRequestTemplateKey).toBe('taskRequestTemplate');
    expect(compiled.runtime).toEqual({ r: 1 });
    expect(compiled.planSchema).toBe('p/v2');
    expect(compiled.reconciliationSchema).toBe('r/v2');
    expect(compiled.outcomePath).toEqual(['result', 'summary']);
    expect(compiled.resultSchema).toBe('res/v2');
    expect(compiled.statusMapping).toBe('homeboy-agent-task');
  });

  it('takes aliases in the reference order (runtime beats runtime_execution beats executor)', () => {
    expect(compileFanoutConfig({ runtime: { a: 1 }, runtime_execution: { b: 1 }, executor: 'c' }).runtime).toEqual({ a: 1 });
    expect(compileFanoutConfig({ executor: 'run {{group.key}}' }).runtime).toBe('run {{group.key}}');
    expect(compileFanoutConfig({ group_key_path: 'a', group_by: 'b' }).groupKeyPaths).toEqual([['a']]);
  });

  it('keeps a list of group key paths (reference §10.7 String() coercion)', () => {
    expect(compileFanoutConfig({ group_by: ['a', 'b.c'] }).groupKeyPaths).toEqual([['a'], ['b', 'c']]);
  });

  it('T14 fixed: a string template is an input error, not spread into characters', () => {
    expect(() => compileFanoutConfig({ task_request_template: 'hi' })).toThrow(new InputError('expected object, got string', { file: 'config', jsonPath: '$.task_request_template' }));
  });

  it('names the field, what it expected and what came', () => {
    const cases: [unknown, string][] = [
      [5, 'config: $: expected object, got number'],
      [[], 'config: $: expected object, got array'],
      [{ group_key_path: 5 }, 'config: $.group_key_path: expected a dot path or a non-empty array of dot paths, got number'],
      [{ group_key_path: [] }, 'config: $.group_key_path: expected at least one dot path'],
      [{ success_statuses: 'completed' }, 'config: $.success_statuses: expected array, got string'],
      [{ success_statuses: ['ok', 3] }, 'config: $.success_statuses[1]: expected string, got number'],
      [{ orchestrator: 'o' }, 'config: $.orchestrator: expected object, got string'],
      [{ include_summary: 'no' }, 'config: $.include_summary: expected boolean, got string'],
      [{ runtime: 5 }, 'config: $.runtime: expected object, array or string, got number'],
      [{ groups: [null] }, 'config: $.groups[0]: expected object, got null'],
      [{ status_mapping: 'homeboy' }, 'config: $.status_mapping: expected "none" or "homeboy-agent-task", got "homeboy"'],
      [{ base_run: { schema: 'x' } }, 'config: $.base_run.schema: "schema" is set by the result itself and cannot come from base_run (use result_schema)'],
      [{ base_run: { records: [] } }, 'config: $.base_run.records: "records" is set by the result itself and cannot come from base_run'],
      [{ finding_policy: { group_by: 3 } }, 'config: $.finding_policy.group_by: expected a dot path or an array of dot paths, got number'],
    ];
    for (const [config, message] of cases) expect(() => compileFanoutConfig(config), message).toThrow(message);
  });

  it('uses the source name it is given', () => {
    expect(() => compileFanoutConfig({ summary: 1 }, { config: 'fanout-config.json' })).toThrow('fanout-config.json: $.summary: expected object, got number');
  });

  it('keeps unknown keys for {{config.<key>}}', () => {
    expect(compileFanoutConfig({ custom: { deep: 1 } }).raw).toEqual({ custom: { deep: 1 } });
  });
});
