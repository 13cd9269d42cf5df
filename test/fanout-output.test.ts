import { execFileSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { lstat, readdir, readFile, readlink, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { assertBuilt, fixtures, runBin, runDroverInProcess, tempDir } from './fanout-cli-helpers.js';

/**
 * `--output` (issue 9 item 11): a symlink is written through to its target and stays a symlink;
 * a FIFO or a device is written directly, never renamed over; `-` is stdout.
 */
let temp: Awaited<ReturnType<typeof tempDir>>;
let expected: string;
const config = join(fixtures, 'seed-config.json');
const items = join(fixtures, 'seed-items.json');
const plan = (output: string) => runDroverInProcess(['fanout', 'plan', '--config', config, '--items', items, '--output', output]);

beforeAll(async () => {
  assertBuilt();
  const result = await runDroverInProcess(['fanout', 'plan', '--config', config, '--items', items]);
  expected = result.stdout;
  expect(expected).toMatch(/"task_requests"/);
});
beforeEach(async () => {
  temp = await tempDir();
});
afterEach(() => temp.cleanup());

describe('drover fanout --output', () => {
  it('writes through a symlink to its target, leaving the link in place', async () => {
    await writeFile(join(temp.dir, 'target.json'), 'old');
    await symlink('target.json', join(temp.dir, 'link.json'));
    const result = await plan(join(temp.dir, 'link.json'));
    expect(result.code, result.stderr).toBe(0);
    expect((await lstat(join(temp.dir, 'link.json'))).isSymbolicLink()).toBe(true);
    expect(await readlink(join(temp.dir, 'link.json'))).toBe('target.json');
    expect(await readFile(join(temp.dir, 'target.json'), 'utf8')).toBe(expected);
    expect((await readdir(temp.dir)).sort()).toEqual(['link.json', 'target.json']);
  });

  it('creates the target of a dangling symlink (through a chain of links) in its own directory', async () => {
    await symlink(join(temp.dir, 'elsewhere', 'plan.json'), join(temp.dir, 'second'));
    await symlink('second', join(temp.dir, 'first'));
    const result = await plan(join(temp.dir, 'first'));
    expect(result.code, result.stderr).toBe(0);
    expect((await lstat(join(temp.dir, 'first'))).isSymbolicLink()).toBe(true);
    expect(await readFile(join(temp.dir, 'elsewhere', 'plan.json'), 'utf8')).toBe(expected);
  });

  it('writes a named pipe directly: the reader gets the whole document and the pipe stays a pipe', async () => {
    const fifo = join(temp.dir, 'plan.fifo');
    execFileSync('mkfifo', [fifo]);
    const chunks: Buffer[] = [];
    const read = new Promise<string>((resolve, reject) => {
      createReadStream(fifo)
        .on('data', (chunk) => chunks.push(Buffer.from(chunk)))
        .on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
        .on('error', reject);
    });
    const result = await plan(fifo);
    expect(result.code, result.stderr).toBe(0);
    expect(await read).toBe(expected);
    expect((await lstat(fifo)).isFIFO()).toBe(true);
    expect(await readdir(temp.dir)).toEqual(['plan.fifo']);
  });

  it('writes a device such as /dev/null directly instead of renaming over it', async () => {
    const result = await plan('/dev/null');
    expect(result.code, result.stderr).toBe(0);
    expect((await lstat('/dev/null')).isCharacterDevice()).toBe(true);
  });

  it('treats "-" as stdout', async () => {
    const result = await plan('-');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(expected);
    expect(await readdir(temp.dir)).toEqual([]);
  });

  it('writes /dev/stdout (a link to the process\'s own stdout) directly, from the real bin', () => {
    const result = runBin('drover', ['fanout', 'plan', '--config', config, '--items', items, '--output', '/dev/stdout'], { cwd: temp.dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(expected);
  });

  it('refuses a directory as the output with one line', async () => {
    const result = await plan(temp.dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`drover: ${temp.dir}: cannot write the output (EISDIR)\n`);
  });
});
