import { describe, expect, it } from 'vitest';
import { normalizeExplicitGroups } from './normalize-explicit-groups.js';

describe('normalizeExplicitGroups', () => {
  it('T6 key fallbacks, non-object items, empty groups kept', () => {
    expect(normalizeExplicitGroups([{ items: ['v', { id: 'q' }] }, { group_key: 'gk' }, { id: 3, items: [] }], 'config')).toEqual([
      { key: 'group-1', index: 0, items: [{ value: 'v', index: 0 }, { id: 'q', index: 1 }] },
      { key: 'gk', index: 1, items: [] },
      { key: '3', index: 2, items: [] },
    ]);
  });

  it('rejects a group that is not an object (the reference threw a TypeError)', () => {
    expect(() => normalizeExplicitGroups([{ key: 'a' }, null], 'config')).toThrow('config: $.groups[1]: expected object, got null');
  });

  it('rejects items that are not an array', () => {
    expect(() => normalizeExplicitGroups([{ key: 'a', items: 'x' }], 'config')).toThrow('config: $.groups[0].items: expected array, got string');
  });

  it('rejects a repeated group key, which would make group_key matching ambiguous', () => {
    expect(() => normalizeExplicitGroups([{ key: 'a' }, { key: 'b' }, { group_key: 'a' }], 'c.json')).toThrow('c.json: $.groups[2]: duplicate group key "a" (also $.groups[0])');
  });
});
