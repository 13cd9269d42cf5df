import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, repoRoot } from './fanout-cli-helpers.js';

/**
 * Memory bounded by the groups, not the input: the real bin, in a child process whose V8 heap is
 * capped far below the input's size, plans and reconciles JSON Lines files of a few hundred MB.
 * Holding the items or records (as the array readers must) would exceed the cap and crash with
 * "heap out of memory". The inputs are generated into a temp dir a line at a time and the output
 * is checked by streaming it, so the test process never holds them either.
 */
const MIB = 2 ** 20;
const ITEMS_BYTES = 200 * MIB;
/** Smaller: reconciling reads the file three times (matching, then the unmatched and the superseded records) and writes it back out. */
const RECORDS_BYTES = 100 * MIB;
const HEAP_MB = 40;
const GROUPS = 400;
const PADDING = 'x'.repeat(180);

let dir: string;
beforeAll(async () => {
  assertBuilt();
  dir = await mkdtemp(join(tmpdir(), 'drover-fanout-stream-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Writes lines until the file reaches `bytes`, honouring back-pressure; returns the line count. */
async function writeLines(file: string, bytes: number, line: (index: number) => string): Promise<number> {
  const stream = createWriteStream(file);
  let written = 0;
  let count = 0;
  while (written < bytes) {
    const text = `${line(count++)}\n`;
    written += text.length;
    if (!stream.write(text)) await new Promise<void>((resolve) => stream.once('drain', resolve));
  }
  await new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
  return count;
}

function run(args: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [`--max-old-space-size=${HEAP_MB}`, join(repoRoot, 'bin/drover.js'), ...args], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

describe(`fanout over JSON Lines larger than the heap (${ITEMS_BYTES / MIB} MiB of items, ${RECORDS_BYTES / MIB} MiB of records, --max-old-space-size=${HEAP_MB})`, () => {
  let items = 0;

  it('plans with memory bounded by the groups when the template reads only the key and the count', async () => {
    items = await writeLines(join(dir, 'items.jsonl'), ITEMS_BYTES, (i) => `{"id":"item-${i}","category":"cat-${i % GROUPS}","note":"${PADDING}"}`);
    const config = { orchestrator: { run_id: 'big' }, group_key_path: 'category', task_request_template: { id: 'task-{{group.key}}', group_key: '{{group.key}}', instructions: 'Fix the {{group.item_count}} findings of {{group.key}}.' } };
    await writeFile(join(dir, 'config.json'), JSON.stringify(config));
    expect((await stat(join(dir, 'items.jsonl'))).size).toBeGreaterThan(HEAP_MB * MIB * 4);

    const result = await run(['fanout', 'plan', '--config', 'config.json', '--items', 'items.jsonl', '--output', 'plan.json']);
    expect(result.code, result.stderr).toBe(0);
    const plan = JSON.parse(await readFile(join(dir, 'plan.json'), 'utf8')) as { summary: { item_count: number; group_count: number }; groups: { key: string; item_count: number }[]; task_requests: { id: string; instructions: string }[] };
    expect(plan.summary).toMatchObject({ item_count: items, group_count: GROUPS });
    expect(plan.groups[7]).toEqual({ key: 'cat-7', index: 7, item_count: Math.ceil((items - 7) / GROUPS) });
    expect(plan.task_requests[7]).toMatchObject({ id: 'task-cat-7', instructions: `Fix the ${Math.ceil((items - 7) / GROUPS)} findings of cat-7.` });
  }, 600_000);

  it('reconciles with memory bounded by the tasks: superseded and unmatched records are read again, not held', async () => {
    // Progress reports: every task reports many times (the last one wins); every 1000th record names no task.
    const records = await writeLines(join(dir, 'records.jsonl'), RECORDS_BYTES, (i) =>
      i % 1000 === 999 ? `{"id":"no-such-task-${i}","status":"completed"}` : `{"id":"task-cat-${i % GROUPS}","status":"${i % 7 === 0 ? 'failed' : 'completed'}","outcome":{"n":${i},"log":"${PADDING}"}}`,
    );
    const result = await run(['fanout', 'reconcile', '--config', 'config.json', '--plan', 'plan.json', '--records', 'records.jsonl', '--output', 'result.json']);
    expect(result.code, result.stderr).toBe(0);

    const unmatched = Math.floor(records / 1000);
    const matched = records - unmatched;
    // One streaming pass over the result: the head (everything before the lazily written lists) is
    // parsed; in the lists, each entry's index and record lines are counted.
    const head: string[] = [];
    let inHead = true;
    let indexes = 0;
    let withRecord = 0;
    for await (const line of createInterface({ input: createReadStream(join(dir, 'result.json')), crlfDelay: Infinity })) {
      if (line === '  "unmatched_records": [') inHead = false;
      if (inHead) head.push(line);
      else if (/^ {6}"record_index": \d+,$/.test(line)) indexes++;
      else if (line === '      "record": {') withRecord++;
    }
    const parsed = JSON.parse(`${head.join('\n').replace(/,$/, '')}}`) as { records: { id: string; outcome: { n: number } }[]; reconciliation: Record<string, unknown> };
    expect(parsed.reconciliation).toMatchObject({ task_count: GROUPS, record_count: GROUPS, missing_count: 0, unmatched_count: unmatched, duplicate_count: matched - GROUPS });
    // The last report of each task is the one kept.
    let last = records - 1;
    while (last % GROUPS !== 5 || last % 1000 === 999) last--;
    expect(parsed.records[5]?.outcome.n).toBe(last);
    // Every unmatched and superseded record is in the output, each with its record.
    expect(indexes).toBe(unmatched + matched - GROUPS);
    expect(withRecord).toBe(indexes);
  }, 600_000);
});
