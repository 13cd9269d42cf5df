import { describe, expect, it } from 'vitest';
import { itemGroupKey } from './item-group-key.js';

describe('itemGroupKey', () => {
  it('reads one dot path, trimmed, numbers as text', () => {
    expect(itemGroupKey({ meta: { cat: ' x ' } }, [['meta', 'cat']])).toBe('x');
    expect(itemGroupKey({ group_key: 3 }, [['group_key']])).toBe('3');
  });

  it('falls back to groupKey, kind, id, then "default"', () => {
    expect(itemGroupKey({ groupKey: 'g2' }, [['group_key']])).toBe('g2');
    expect(itemGroupKey({ kind: 'k', id: 'i' }, [['group_key']])).toBe('k');
    expect(itemGroupKey({ id: 7 }, [['group_key']])).toBe('7');
    expect(itemGroupKey({ group_key: true, id: {} }, [['group_key']])).toBe('default');
  });

  it('T18 fixed: joins several paths with ":" and skips empty parts', () => {
    expect(itemGroupKey({ id: 'i1', a: 'x', b: 'y' }, [['a'], ['b']])).toBe('x:y');
    expect(itemGroupKey({ id: 'i1', b: 'y' }, [['a'], ['b']])).toBe('y');
    expect(itemGroupKey({ id: 'i1' }, [['a'], ['b']])).toBe('i1');
  });

  it('does not read inherited properties as keys', () => {
    expect(itemGroupKey({ id: 'i' }, [['constructor']])).toBe('i');
  });
});
