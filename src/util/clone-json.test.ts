import { describe, expect, it } from 'vitest';
import { cloneJson } from './clone-json.js';

describe('cloneJson', () => {
  it('copies a task-shaped record deeply, as structuredClone does', () => {
    const task = { id: 'a-1', inputs: { files: ['x.ts'], nested: { n: 1, none: null } }, dependsOn: ['b-1'], optional: false, error: undefined };
    const copy = cloneJson(task);
    expect(copy).toStrictEqual(structuredClone(task));
    expect('error' in copy).toBe(true);
    copy.inputs.files.push('y.ts');
    copy.dependsOn.push('c-1');
    copy.inputs.nested.n = 2;
    expect(task.inputs.files).toEqual(['x.ts']);
    expect(task.dependsOn).toEqual(['b-1']);
    expect(task.inputs.nested.n).toBe(1);
  });

  it('keeps an own __proto__ key as a key, not as the prototype', () => {
    const parsed = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as Record<string, unknown>;
    const copy = cloneJson(parsed);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect((copy as { polluted?: boolean }).polluted).toBeUndefined();
    expect(Object.keys(copy)).toEqual(['__proto__', 'a']);
    expect(copy['__proto__']).toEqual({ polluted: true });
  });

  it('copies a Date (any value with toJSON) as JSON keeps it, its ISO string, as queue.json and PostgreSQL give it back', () => {
    const when = new Date('2026-12-02T10:00:00.000Z');
    const inputs = { when, list: [when], nested: { when } };
    const copy = cloneJson(inputs);
    expect(copy).toEqual(JSON.parse(JSON.stringify(inputs)));
    expect(copy).toEqual({ when: '2026-12-02T10:00:00.000Z', list: ['2026-12-02T10:00:00.000Z'], nested: { when: '2026-12-02T10:00:00.000Z' } });
  });
});
