import { describe, expect, it } from 'vitest';
import { jsonChunks } from './json-chunks.js';

const joined = (value: unknown) => [...jsonChunks(value)].join('');

describe('jsonChunks', () => {
  it('is byte-identical to JSON.stringify(value, null, 2) plus a newline', () => {
    const values: unknown[] = [
      { schema: 's', task_requests: [{ id: 'a', inputs: { items: [{ id: 1, text: 'line\nbreak' }] } }, { id: 'b', nested: [[1, [2, {}]], []] }], groups: [], summary: {} },
      [1, 'two', null, true, { a: [] }],
      { skipped: undefined, kept: 1, list: [undefined, () => 1, 3] },
      'text',
      42,
      null,
      { '': { 'key "quoted"': ['é', '\u2028'] }, date: new Date(0) },
    ];
    for (const value of values) expect(joined(value)).toBe(`${JSON.stringify(value, null, 2)}\n`);
  });

  it('yields each top-level array element on its own, so no single string holds the whole document', () => {
    const chunks = [...jsonChunks({ records: Array.from({ length: 1000 }, (_, id) => ({ id })) })];
    expect(chunks.length).toBeGreaterThan(1000);
    expect(Math.max(...chunks.map((chunk) => chunk.length))).toBeLessThan(100);
  });
});
