import { describe, expect, it } from 'vitest';
import { normalizeItem } from './normalize-item.js';

describe('normalizeItem', () => {
  it('copies an object with its position as index, wraps everything else', () => {
    const item = { id: 'a', index: 99 };
    const out = [item, 'str', 5, null, [1]].map((value, index) => normalizeItem(value, index, false));
    expect(out).toEqual([{ id: 'a', index: 0 }, { value: 'str', index: 1 }, { value: 5, index: 2 }, { value: null, index: 3 }, { value: [1], index: 4 }]);
    expect(out[0]).not.toBe(item);
    expect(item.index).toBe(99);
  });

  it('copies an own "__proto__" key as data, never as the prototype', () => {
    const copy = normalizeItem(JSON.parse('{"__proto__": {"polluted": true}, "id": "a"}'), 0, false);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(JSON.stringify(copy)).toBe('{"__proto__":{"polluted":true},"id":"a","index":0}');
  });

  it('in place, gives the caller\'s own object its index instead of copying it, with the same key order', () => {
    const item = { index: 99, id: 'a' };
    const same = normalizeItem(item, 0, true);
    expect(same).toBe(item);
    expect(JSON.stringify(same)).toBe(JSON.stringify(normalizeItem({ index: 99, id: 'a' }, 0, false)));
    expect(item.index).toBe(0);
  });
});
