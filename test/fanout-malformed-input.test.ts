import { existsSync } from 'node:fs';
import { copyFile, readdir, readFile, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planFanout } from '../src/fanout/index.js';
import { MAX_JSON_DOCUMENT_BYTES } from '../src/util/parse-json-bytes.js';
import { fixtures, runDroverInProcess, tempDir, type RunResult } from './fanout-cli-helpers.js';

/**
 * The bad-input contract under a generated corpus of malformed inputs (issue 13): every case is
 * exit 2, one stderr line naming the file (and where it can, the JSON path, line or byte), no
 * stack trace, no control characters, nothing on stdout and no `--output` written. Accepted
 * variants (a byte-order mark) must give the same document as the clean input.
 */

type Role = 'config' | 'items' | 'records' | 'plan';
interface Case {
  readonly name: string;
  readonly role: Role;
  readonly bytes: Uint8Array;
  /** What the one stderr line must contain after `drover: <file>: `. */
  readonly expect: RegExp;
  readonly fileName?: string;
}

let temp: Awaited<ReturnType<typeof tempDir>>;
const clean: Record<Role, string> = { config: '', items: '', records: '', plan: '' };

beforeAll(async () => {
  temp = await tempDir();
  for (const name of ['seed-config.json', 'seed-items.json', 'seed-records.json']) await copyFile(join(fixtures, name), join(temp.dir, name));
  const read = async (name: string) => JSON.parse(await readFile(join(temp.dir, name), 'utf8')) as unknown;
  const config = await read('seed-config.json');
  const items = await read('seed-items.json');
  clean.config = JSON.stringify(config, null, 2);
  clean.items = JSON.stringify(items, null, 2);
  clean.records = JSON.stringify(await read('seed-records.json'), null, 2);
  clean.plan = JSON.stringify(planFanout({ config, items }), null, 2);
  for (const role of Object.keys(clean) as Role[]) await writeFile(join(temp.dir, `clean-${role}.json`), clean[role]);
});
afterAll(() => temp.cleanup());

/** A small deterministic generator (mulberry32), so a failing case can be reproduced by name. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ROLES: readonly Role[] = ['config', 'items', 'records', 'plan'];
const utf8 = (text: string) => Buffer.from(text, 'utf8');
const splice = (text: string, at: number, insert: Uint8Array, remove = 0) => Buffer.concat([utf8(text.slice(0, at)), insert, utf8(text.slice(at + remove))]);

function generateCases(): Case[] {
  const cases: Case[] = [];
  const next = random(13);
  for (const role of ROLES) {
    const text = clean[role];
    // Every document cut short, at 30 spread-out points.
    for (let k = 0; k < 30; k++) {
      const at = Math.floor((k / 30) * (text.length - 1));
      cases.push({ name: `${role} cut at ${at}`, role, bytes: utf8(text.slice(0, at)), expect: /^invalid JSON: / });
    }
    // Broken near a line break: junk after a newline, a dropped comma, an unterminated string.
    const breaks = [...text.matchAll(/\n/g)].map((match) => match.index);
    for (let k = 0; k < 8; k++) {
      const at = breaks[Math.floor(next() * breaks.length)] ?? 0;
      cases.push({ name: `${role} junk line after byte ${at}`, role, bytes: splice(text, at, utf8('\n@@\n')), expect: /^invalid JSON: / });
      cases.push({ name: `${role} unterminated string at ${at}`, role, bytes: splice(text, at + 1, utf8('"open\n')), expect: /^invalid JSON: / });
      cases.push({ name: `${role} control character at ${at}`, role, bytes: splice(text, at, utf8('\n\u001b]52;c;cGF5bG9hZA==\u0007\n')), expect: /^invalid JSON: / });
    }
    const commas = [...text.matchAll(/,\n/g)].map((match) => match.index);
    for (const at of commas.slice(0, 6)) cases.push({ name: `${role} comma dropped at ${at}`, role, bytes: splice(text, at, new Uint8Array(), 1), expect: /^invalid JSON: / });
    // Invalid UTF-8 inside string values, reported at its byte offset (with and without a BOM).
    const stringStarts = [...text.matchAll(/: "/g)].map((match) => match.index + 3);
    const badSequences: readonly { name: string; bytes: number[]; bad: number }[] = [
      { name: '0xFF', bytes: [0xff], bad: 0 },
      { name: '0xFE', bytes: [0xfe], bad: 0 },
      { name: 'overlong', bytes: [0xc0, 0xaf], bad: 0 },
      { name: 'stray continuation', bytes: [0x80], bad: 0 },
      { name: 'surrogate', bytes: [0xed, 0xa0, 0x80], bad: 1 },
      { name: 'truncated', bytes: [0xe2, 0x82], bad: 2 },
    ];
    for (const sequence of badSequences) {
      for (const at of stringStarts.slice(0, 4)) {
        const offset = Buffer.byteLength(text.slice(0, at)) + sequence.bad;
        cases.push({ name: `${role} ${sequence.name} at ${at}`, role, bytes: splice(text, at, Uint8Array.from(sequence.bytes)), expect: new RegExp(`^invalid UTF-8 at byte ${offset}$`) });
        cases.push({ name: `${role} ${sequence.name} at ${at} after a BOM`, role, bytes: Buffer.concat([Uint8Array.from([0xef, 0xbb, 0xbf]), splice(text, at, Uint8Array.from(sequence.bytes))]), expect: new RegExp(`^invalid UTF-8 at byte ${offset + 3}$`) });
      }
    }
    // Random garbage of every size.
    for (let k = 0; k < 15; k++) {
      const length = 1 + Math.floor(next() * 200);
      const bytes = Uint8Array.from({ length }, () => Math.floor(next() * 256));
      if (bytes[0] === 0x5b || bytes[0] === 0x7b) bytes[0] = 0x21;
      cases.push({ name: `${role} garbage ${k}`, role, bytes, expect: /^(invalid JSON: |invalid UTF-8 at byte \d+$)/ });
    }
    // Nothing, or whitespace only.
    cases.push({ name: `${role} empty`, role, bytes: new Uint8Array(), expect: /^invalid JSON: / });
    cases.push({ name: `${role} whitespace`, role, bytes: utf8(' \n\t\r\n'), expect: /^invalid JSON: / });
    cases.push({ name: `${role} BOM only`, role, bytes: Uint8Array.from([0xef, 0xbb, 0xbf]), expect: /^invalid JSON: / });
    // 5,000 levels of nesting, which JSON.parse accepts but JSON.stringify cannot write.
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    cases.push({ name: `${role} nested 5000 deep`, role, bytes: utf8(text.replace('{', `{ "deep": ${deep},`)), expect: /^\$(\[0\])?\.deep(\[0\])+: nested deeper than 1000 levels$/ });
  }
  // Items and records of the wrong shape, at every position.
  for (const role of ['items', 'records'] as const) {
    const list = JSON.parse(clean[role]) as unknown[];
    for (const [wrong, type] of [[1, 'number'], ['x', 'string'], [null, 'null'], [[1], 'array'], [true, 'boolean']] as const) {
      for (let position = 0; position < list.length; position++) {
        const copy: unknown[] = [...list];
        copy[position] = wrong;
        cases.push({ name: `${role}[${position}] is ${type}`, role, bytes: utf8(JSON.stringify(copy)), expect: new RegExp(`^\\$\\[${position}\\]: expected object, got ${type}$`) });
        cases.push({ name: `${role} wrapped, [${position}] is ${type}`, role, bytes: utf8(JSON.stringify({ [role]: copy })), expect: new RegExp(`^\\$\\.${role}\\[${position}\\]: expected object, got ${type}$`) });
      }
      const expectWhole = Array.isArray(wrong) ? /^\$\[0\]: expected object, got number$/ : /^\$: expected an array of/;
      cases.push({ name: `${role} document is ${type}`, role, bytes: utf8(JSON.stringify(wrong)), expect: expectWhole });
    }
    // JSON Lines: a bad line is named by its number.
    const lines = list.map((value) => JSON.stringify(value));
    for (let position = 0; position < lines.length; position++) {
      const broken = [...lines];
      broken[position] = '{"id": ';
      cases.push({ name: `${role}.jsonl line ${position + 1} broken`, role, fileName: `${role}.jsonl`, bytes: utf8(broken.join('\n')), expect: new RegExp(`^line ${position + 1}: invalid JSON: `) });
      const scalar = [...lines];
      scalar[position] = '42';
      cases.push({ name: `${role}.jsonl line ${position + 1} a number`, role, fileName: `${role}.jsonl`, bytes: utf8(scalar.join('\r\n')), expect: new RegExp(`^line ${position + 1}: expected object, got number$`) });
      const bad = [...lines];
      bad[position] = '{"id": "\u00ff"}';
      const offset = Buffer.byteLength(lines.slice(0, position).join('\n')) + (position === 0 ? 0 : 1) + 8;
      cases.push({ name: `${role}.jsonl line ${position + 1} invalid UTF-8`, role, fileName: `${role}.jsonl`, bytes: Buffer.concat([utf8(bad.slice(0, position).join('\n') + (position === 0 ? '' : '\n')), utf8('{"id": "'), Uint8Array.from([0xff]), utf8('"}'), utf8(position === lines.length - 1 ? '' : `\n${lines.slice(position + 1).join('\n')}`)]), expect: new RegExp(`^line ${position + 1}: invalid UTF-8 at byte ${offset}$`) });
    }
    const deepLine = [...lines];
    deepLine[1] = `{"deep": ${'['.repeat(5000)}${']'.repeat(5000)}}`;
    cases.push({ name: `${role}.jsonl line 2 nested 5000 deep`, role, fileName: `${role}.jsonl`, bytes: utf8(deepLine.join('\n')), expect: /^line 2 \$\.deep(\[0\])+: nested deeper than 1000 levels$/ });
  }
  return cases;
}

function argsFor(role: Role, file: string, output: string): string[] {
  const path = (name: string) => join(temp.dir, name);
  const pick = (which: Role) => (which === role ? file : path(`clean-${which}.json`));
  if (role === 'items') return ['fanout', 'plan', '--config', pick('config'), '--items', file, '--output', output];
  if (role === 'config') return ['fanout', 'plan', '--config', file, '--items', pick('items'), '--output', output];
  return ['fanout', 'reconcile', '--config', pick('config'), '--plan', pick('plan'), '--records', pick('records'), '--output', output];
}

function expectOneLine(result: RunResult, file: string, detail: RegExp, label: string): void {
  expect(result.code, `${label}: ${result.stderr}`).toBe(2);
  expect(result.stdout, label).toBe('');
  const lines = result.stderr.split('\n');
  expect(lines, `${label}: ${result.stderr}`).toHaveLength(2);
  expect(lines[1], label).toBe('');
  const line = lines[0] ?? '';
  expect(line.startsWith(`drover: ${file}: `), `${label}: ${line}`).toBe(true);
  expect(line.slice(`drover: ${file}: `.length), label).toMatch(detail);
  // eslint-disable-next-line no-control-regex
  expect(line, label).not.toMatch(/[\u0000-\u001f\u007f-\u009f]|internal error/);
}

describe('drover fanout under generated malformed input', () => {
  it('keeps the bad-input contract for every generated case (several hundred)', async () => {
    const cases = generateCases();
    expect(cases.length).toBeGreaterThan(400);
    for (const [index, testCase] of cases.entries()) {
      const file = join(temp.dir, `case-${index}-${testCase.fileName ?? `${testCase.role}.json`}`);
      await writeFile(file, testCase.bytes);
      const output = join(temp.dir, `out-${index}`, 'result.json');
      const result = await runDroverInProcess(argsFor(testCase.role, file, output));
      expectOneLine(result, file, testCase.expect, testCase.name);
      expect(existsSync(join(temp.dir, `out-${index}`)), testCase.name).toBe(false);
    }
    expect((await readdir(temp.dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('accepts a UTF-8 byte-order mark on every input, with the same output as without', async () => {
    for (const role of ROLES) {
      const file = join(temp.dir, `bom-${role}.json`);
      await writeFile(file, Buffer.concat([Uint8Array.from([0xef, 0xbb, 0xbf]), utf8(clean[role])]));
      const withBom = await runDroverInProcess(argsFor(role, file, '-'));
      const without = await runDroverInProcess(argsFor(role, join(temp.dir, `clean-${role}.json`), '-'));
      expect(withBom.code, withBom.stderr).toBe(0);
      expect(withBom.stdout).toBe(without.stdout);
      expect(withBom.stdout.length).toBeGreaterThan(100);
    }
  });

  it('names the file and the limit for a document too large to hold, before reading it', async () => {
    for (const role of ROLES) {
      const file = join(temp.dir, `huge-${role}.json`);
      await writeFile(file, '');
      await truncate(file, MAX_JSON_DOCUMENT_BYTES + 2 ** 20); // sparse: no disk or memory spent
      const result = await runDroverInProcess(argsFor(role, file, join(temp.dir, 'huge-out', 'x.json')));
      expectOneLine(result, file, /^the file is 512 MiB, above the 511 MiB limit of one JSON document; split it, or give the items or records as JSON Lines/, `huge ${role}`);
    }
  });
});
