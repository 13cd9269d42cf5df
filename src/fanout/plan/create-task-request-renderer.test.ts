import { describe, expect, it } from 'vitest';
import { compileFanoutConfig } from '../config/compile-fanout-config.js';
import { createTaskRequestRenderer } from './create-task-request-renderer.js';
import type { FanoutGroup } from './fanout-group.js';

const group: FanoutGroup = { key: 'g', index: 0, items: [{ group_key: 'g', index: 0 }] };
const render = (config: unknown, target: FanoutGroup = group) => createTaskRequestRenderer(compileFanoutConfig(config))(target);

describe('createTaskRequestRenderer', () => {
  it('puts id and group_key first, then template keys, then orchestrator and runtime_execution', () => {
    const request = render({ orchestrator: { run_id: 'r' }, task_request_template: { b: 1, a: '{{group.key}}' }, runtime_execution: { x: '{{group.index}}' } });
    expect(Object.keys(request)).toEqual(['id', 'group_key', 'b', 'a', 'orchestrator', 'runtime_execution']);
    expect(request).toEqual({ id: 'r-g', group_key: 'g', b: 1, a: 'g', orchestrator: { run_id: 'r', group_index: 0 }, runtime_execution: { x: 0 } });
  });

  it('T12 fixed: an id or group_key that renders to nothing falls back instead of vanishing', () => {
    expect(render({ task_request_template: { id: '{{nope}}', group_key: '{{nope}}' } })).toEqual({ id: 'fanout-g', group_key: 'g', orchestrator: { group_index: 0 } });
    expect(render({ task_request_template: { id: '{{config.nul}}', task_id: 't-{{group.key}}' }, nul: null })).toEqual({ id: 't-g', group_key: 'g', task_id: 't-g', orchestrator: { group_index: 0 } });
  });

  it('T13 fixed: a mixed id keeps its literal part; an empty group_key falls back to the group key', () => {
    expect(render({ task_request_template: { id: 'x{{nope}}', group_key: '' } })).toEqual({ id: 'x', group_key: 'g', orchestrator: { group_index: 0 } });
  });

  it('keeps a numeric id as a number', () => {
    expect(render({ task_request_template: { id: '{{group.index}}' } }).id).toBe(0);
  });

  it('rejects an id or group_key that renders to something that cannot be an id', () => {
    expect(() => render({ task_request_template: { id: '{{group.items}}' } })).toThrow('config: $.task_request_template.id: rendered array for group "g", expected a non-empty string or a number');
    expect(() => render({ taskRequestTemplate: { group_key: true } })).toThrow('config: $.taskRequestTemplate.group_key: rendered boolean for group "g"');
    expect(() => render({ task_request_template: { orchestrator: 'o' } })).toThrow('config: $.task_request_template.orchestrator: rendered string for group "g", expected object');
  });

  it('T15 task_id-only template, orchestrator merge order, runtime beats runtime_execution', () => {
    const request = render({ orchestrator: { id: 'o', group_index: 99 }, task_request_template: { task_id: 't-{{group.key}}', orchestrator: { extra: '{{group.index}}' } }, runtime: { r: '{{group.key}}' }, runtime_execution: { ignored: true } });
    expect(request).toEqual({ id: 't-g', group_key: 'g', task_id: 't-g', orchestrator: { id: 'o', group_index: 0, extra: 0 }, runtime_execution: { r: 'g' } });
    expect(Object.keys(request.orchestrator)).toEqual(['id', 'group_index', 'extra']);
  });

  it('T16 an empty runtime object is left out; a string runtime is rendered as a string', () => {
    expect(render({ runtime_execution: {} })).toEqual({ id: 'fanout-g', group_key: 'g', orchestrator: { group_index: 0 } });
    expect(render({ executor: 'run {{group.key}}' })).toEqual({ id: 'fanout-g', group_key: 'g', orchestrator: { group_index: 0 }, runtime_execution: 'run g' });
    expect(render({ runtime: [] })).not.toHaveProperty('runtime_execution');
  });

  it('gives every task its own orchestrator object', () => {
    const renderer = createTaskRequestRenderer(compileFanoutConfig({ orchestrator: { id: 'o' } }));
    const a = renderer(group);
    const b = renderer({ key: 'h', index: 1, items: [] });
    expect(a.orchestrator).not.toBe(b.orchestrator);
    expect(b.orchestrator).toEqual({ id: 'o', group_index: 1 });
  });
});
