import { describe, expect, it } from 'vitest';
import { getOwnPath } from './get-own-path.js';

describe('getOwnPath', () => {
  it('walks objects, array indexes and lengths', () => {
    const value = { a: { b: [{ c: 1 }, { c: 2 }] } };
    expect(getOwnPath(value, ['a', 'b', '1', 'c'])).toBe(2);
    expect(getOwnPath(value, ['a', 'b', 'length'])).toBe(2);
    expect(getOwnPath('abc', ['length'])).toBe(3);
  });

  it('stops at null, undefined and scalars', () => {
    expect(getOwnPath({ a: null }, ['a', 'b'])).toBeUndefined();
    expect(getOwnPath({ a: 5 }, ['a', 'b'])).toBeUndefined();
    expect(getOwnPath(undefined, ['a'])).toBeUndefined();
  });

  it('never reaches the prototype chain (reference §10.5)', () => {
    expect(getOwnPath({ key: 'x' }, ['key', 'constructor'])).toBeUndefined();
    expect(getOwnPath({}, ['constructor'])).toBeUndefined();
    expect(getOwnPath({}, ['__proto__'])).toBeUndefined();
    expect(getOwnPath([], ['map'])).toBeUndefined();
    expect(getOwnPath({}, ['toString'])).toBeUndefined();
  });

  it('reads an own "__proto__" data property from parsed JSON', () => {
    expect(getOwnPath(JSON.parse('{"__proto__": {"x": 1}}'), ['__proto__', 'x'])).toBe(1);
  });
});
