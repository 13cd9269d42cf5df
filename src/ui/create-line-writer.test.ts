import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLineWriter } from './create-line-writer.js';

describe('createLineWriter', () => {
  it('goes quiet instead of crashing the run when the reader has gone (EPIPE)', async () => {
    let writes = 0;
    const closedPipe = new Writable({
      write(_chunk, _encoding, callback) {
        writes += 1;
        callback(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    });
    const writer = createLineWriter(closedPipe);
    writer.write('first');
    await new Promise((resolve) => setImmediate(resolve));
    writer.write('second');
    await writer.flush();
    expect(writes).toBe(1);
  });
});
