import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readProjectedCursor } from './read-projected-cursor.js';

const line = (runId: string, seq?: number) => `${JSON.stringify({ event: 'orchestrator task started', properties: seq === undefined ? {} : { seq }, timestamp: 't', run_id: runId })}\n`;

describe('readProjectedCursor', () => {
  it('is the highest seq of this run in events.jsonl, ignoring other runs and lines without seq', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'drover-cursor-')), 'events.jsonl');
    await writeFile(file, line('old-run', 90) + line('run-a', 1) + line('run-a', 7) + line('run-a'));
    expect(await readProjectedCursor(file, 'run-a')).toBe(7);
    expect(await readProjectedCursor(join(file, '..', 'missing.jsonl'), 'run-a')).toBe(0);
  });

  it('cuts a torn last line (a kill mid-append), so the next append starts on a clean line', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'drover-cursor-')), 'events.jsonl');
    const whole = line('run-a', 1) + line('run-a', 2);
    await writeFile(file, `${whole}{"event":"orchestrator task sta`);
    expect(await readProjectedCursor(file, 'run-a')).toBe(2);
    expect(await readFile(file, 'utf8')).toBe(whole);
  });
});
