import { describe, expect, it } from 'vitest';
import { compileTemplate, resolveExpression } from './compile-template.js';
import type { FanoutGroup } from '../plan/fanout-group.js';

const group: FanoutGroup = {
  key: 'g',
  index: 0,
  items: [
    { id: 'i1', finding_id: 'f1', packet_id: 'p1', index: 0 },
    { key: 'k2', packet_id: 'p1', index: 1 },
    { index: 2 },
  ],
};
const config = { nul: null, task_request_template: { spaced: '{{  group.key  }}' } };
const context = { group, orchestrator: { run_id: 'r1', n: 5 }, config };
const render = (template: unknown) => compileTemplate(template)(context);

describe('compileTemplate', () => {
  it('T9 typed vs mixed substitution', () => {
    expect(
      render({
        count: '{{group.item_count}}',
        count_s: 'n={{group.item_count}}',
        idx: '{{ group.index }}',
        idx_s: '{{group.index}}-x',
        ids: '{{group.item_ids}}',
        fids: '{{group.finding_ids}}',
        pids: '{{group.packet_ids}}',
        orch_n: '{{orchestrator.n}}',
        len: '{{group.items.length}}',
        first: '{{group.items.0.id}}',
        two: '{{group.key}}{{group.key}}',
        spaced: '{{  group.key  }}',
        num: 42,
      }),
    ).toEqual({ count: 3, count_s: 'n=3', idx: 0, idx_s: '0-x', ids: ['i1', 'k2', '3'], fids: ['f1', '2', '3'], pids: ['p1'], orch_n: 5, len: 3, first: 'i1', two: 'gg', spaced: 'g', num: 42 });
  });

  it('T10 unknown placeholders, nulls, nesting, no escaping, single pass', () => {
    const out = render({
      unknown: '{{nope.x}}',
      unknown_s: 'a{{nope}}b',
      nullv: '{{config.nul}}',
      nested: { arr: ['{{group.key}}', 1, true, null, '{{nope}}'], deep: { k: '{{group.key}}!' } },
      single: '{group.key}',
      empty: '{{}}',
      raw: '{{config.task_request_template.spaced}}',
    }) as Record<string, unknown>;
    expect(out).toEqual({ unknown_s: 'ab', nullv: null, nested: { arr: ['g', 1, true, null, null], deep: { k: 'g!' } }, single: '{group.key}', empty: '{{}}', raw: '{{  group.key  }}' });
    expect(Object.hasOwn(out, 'unknown')).toBe(false);
  });

  it('T11 a whole-string object or array keeps its type; in a longer string it becomes compact JSON', () => {
    const one: FanoutGroup = { key: 'g', index: 0, items: [{ id: 'a', group_key: 'g', index: 0 }] };
    const out = compileTemplate({ items: '{{group.items}}', items_s: 'I={{group.items}}' })({ group: one });
    expect(out).toEqual({ items: [{ id: 'a', group_key: 'g', index: 0 }], items_s: 'I=[{"id":"a","group_key":"g","index":0}]' });
  });

  it('derived group fields can be walked into', () => {
    expect(render('{{group.item_ids.1}}')).toBe('k2');
    expect(render('{{group.item_ids.length}}')).toBe(3);
  });

  it('mixed strings print booleans and numbers, and nothing for null', () => {
    expect(compileTemplate('{{a}}/{{b}}/{{c}}/{{d}}')({ a: true, b: 1.5, c: null, d: 'x' })).toBe('true/1.5//x');
  });

  it('leaves scalars and strings without placeholders alone', () => {
    for (const value of [1, true, null, 'plain', '{x}', '{{ } }}']) expect(compileTemplate(value)({})).toBe(value);
  });

  it('reads own properties only (reference §10.5 prototype access)', () => {
    expect(render('{{group.key.constructor}}')).toBeUndefined();
    expect(render('x{{group.key.constructor}}')).toBe('x');
    expect(render('{{config.toString}}')).toBeUndefined();
    expect(render('{{__proto__}}')).toBeUndefined();
  });

  it('writes a "__proto__" template key as a plain own property', () => {
    const out = compileTemplate(JSON.parse('{"__proto__": {"polluted": "{{group.key}}"}}'))(context) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.hasOwn(out, '__proto__')).toBe(true);
    expect(JSON.stringify(out)).toBe('{"__proto__":{"polluted":"g"}}');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('derived fields exist only for real groups', () => {
    expect(resolveExpression({ group: { key: 'x' } }, ['group', 'item_count'])).toBeUndefined();
  });
});
