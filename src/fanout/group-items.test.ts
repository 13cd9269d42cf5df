import { describe, expect, it } from 'vitest';
import { groupItems } from './group-items.js';

describe('groupItems', () => {
  it('orders groups by first appearance and keeps item order', () => {
    const items = [
      { id: 'a', group_key: 'x' },
      { id: 'b', group_key: 'y' },
      { id: 'c', group_key: 'x' },
    ];
    expect(groupItems(items, [['group_key']])).toEqual([
      { key: 'x', index: 0, items: [items[0], items[2]] },
      { key: 'y', index: 1, items: [items[1]] },
    ]);
  });

  it('keeps group keys that look like Object.prototype members apart from it', () => {
    expect(groupItems([{ group_key: '__proto__' }, { group_key: 'constructor' }], [['group_key']]).map((group) => group.key)).toEqual(['__proto__', 'constructor']);
  });
});
