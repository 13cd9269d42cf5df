import { describe, expect, it } from 'vitest';
import { jsonChunks, type JsonChunk } from './json-chunks.js';

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
    expect(Math.max(...chunks.map((chunk) => (chunk as string).length))).toBeLessThan(100);
  });

  it('writes an async iterable in the top two levels as the array of what it yields, read only when reached', async () => {
    const text = async (chunks: Iterable<JsonChunk>) => {
      let out = '';
      for (const chunk of chunks) {
        if (typeof chunk === 'string') out += chunk;
        else for await (const piece of chunk) out += piece;
      }
      return out;
    };
    let started = false;
    async function* lazy(values: unknown[]) {
      started = true;
      yield* values;
    }
    const rows = [{ record_index: 3, record: { id: 'a', nested: { list: [1, 2] } } }, { record_index: 9, record: {} }];
    const chunks = jsonChunks({ status: 'failed', unmatched_records: lazy(rows), duplicate_records: lazy([]) });
    expect(started).toBe(false);
    expect(await text(chunks)).toBe(`${JSON.stringify({ status: 'failed', unmatched_records: rows, duplicate_records: [] }, null, 2)}\n`);
    expect(await text(jsonChunks([lazy([1, 'two'])]))).toBe(`${JSON.stringify([[1, 'two']], null, 2)}\n`);
  });
});
