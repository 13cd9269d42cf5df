import { describe, expect, it } from 'vitest';
import { normalizeItems } from './normalize-items.js';

describe('normalizeItems', () => {
  it('copies objects with their position as index, wraps everything else', () => {
    const item = { id: 'a', index: 99 };
    const out = normalizeItems([item, 'str', 5, null, [1]]);
    expect(out).toEqual([{ id: 'a', index: 0 }, { value: 'str', index: 1 }, { value: 5, index: 2 }, { value: null, index: 3 }, { value: [1], index: 4 }]);
    expect(out[0]).not.toBe(item);
    expect(item.index).toBe(99);
  });
});

describe('normalizeItems and "__proto__"', () => {
  it('copies an own "__proto__" key as data, never as the prototype', () => {
    const [copy] = normalizeItems([JSON.parse('{"__proto__": {"polluted": true}, "id": "a"}')]);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(JSON.stringify(copy)).toBe('{"__proto__":{"polluted":true},"id":"a","index":0}');
  });
});

describe('normalizeItems in place', () => {
  it('gives the caller\'s own objects their index instead of copying them, with the same key order', () => {
    const item = { index: 99, id: 'a' };
    const [same] = normalizeItems([item], true);
    expect(same).toBe(item);
    expect(JSON.stringify(same)).toBe(JSON.stringify(normalizeItems([{ index: 99, id: 'a' }])[0]));
    expect(item.index).toBe(0);
  });
});
