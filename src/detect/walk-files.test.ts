import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTimeBudget } from './time-budget.js';
import { walkFiles } from './walk-files.js';

let root: string;

function writeTree(files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), content);
  }
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'drover-walk-'));
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('walkFiles', () => {
  it('lists files breadth-first in name order with POSIX paths', async () => {
    writeTree({ 'b.ts': '', 'a/z.ts': '', 'a/b/c.ts': '', 'A.ts': '', 'c/d.ts': '' });
    const result = await walkFiles(root);
    expect(result.files).toEqual(['A.ts', 'b.ts', 'a/z.ts', 'c/d.ts', 'a/b/c.ts']);
    expect(result.cut).toBeNull();
  });

  it('skips dependency, build, cache and dot directories', async () => {
    writeTree({
      'src/index.ts': '',
      'node_modules/x/index.js': '',
      'src/node_modules/y/index.js': '',
      '.git/HEAD': '',
      '.next/server.js': '',
      '.drover/queue.json': '',
      'dist/a.js': '',
      'build/a.js': '',
      'coverage/a.js': '',
      '__pycache__/a.pyc': '',
      'venv/lib/a.py': '',
      'vendor/autoload.php': '',
      'target/a.class': '',
      'pkg.egg-info/PKG-INFO': '',
      '.env.example': '',
    });
    expect((await walkFiles(root)).files).toEqual(['.env.example', 'src/index.ts']);
  });

  it('skips a virtualenv or cache folder by its marker file, whatever its name', async () => {
    writeTree({ 'env/pyvenv.cfg': '', 'env/lib/site.py': '', 'cache/CACHEDIR.TAG': '', 'cache/x': '', 'app.py': '' });
    expect((await walkFiles(root)).files).toEqual(['app.py']);
  });

  it('never follows symbolic links', async () => {
    writeTree({ 'real/a.ts': '' });
    const outside = mkdtempSync(join(tmpdir(), 'drover-walk-outside-'));
    try {
      writeFileSync(join(outside, 'secret.ts'), '');
      symlinkSync(outside, join(root, 'linked-dir'));
      symlinkSync(join(root, 'real/a.ts'), join(root, 'linked-file.ts'));
      symlinkSync(root, join(root, 'real/loop'));
      expect((await walkFiles(root)).files).toEqual(['real/a.ts']);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('stops at the file cap and keeps the shallowest files', async () => {
    writeTree({ 'a.ts': '', 'b.ts': '', 'deep/c.ts': '', 'deep/d.ts': '' });
    const result = await walkFiles(root, { maxFiles: 3 });
    expect(result.files).toEqual(['a.ts', 'b.ts', 'deep/c.ts']);
    expect(result.cut).toBe('max-files');
  });

  it('does not report a cut when the cap equals the file count', async () => {
    writeTree({ 'a.ts': '', 'b.ts': '' });
    expect((await walkFiles(root, { maxFiles: 2 })).cut).toBeNull();
  });

  it('stops at the depth cap', async () => {
    writeTree({ 'a.ts': '', 'one/b.ts': '', 'one/two/c.ts': '' });
    const result = await walkFiles(root, { maxDepth: 1 });
    expect(result.files).toEqual(['a.ts', 'one/b.ts']);
    expect(result.cut).toBe('max-depth');
  });

  it('stops when the time budget is spent', async () => {
    writeTree({ 'a.ts': '', 'one/b.ts': '', 'two/c.ts': '' });
    let t = 0;
    const budget = createTimeBudget({ ms: 2, now: () => (t += 1) });
    const result = await walkFiles(root, { budget });
    expect(result.cut).toBe('time-budget');
    expect(result.files.length).toBeLessThan(3);
  });

  it('starts under a sub-folder and keeps paths relative to the root', async () => {
    writeTree({ 'app/page.tsx': '', 'app/x/route.ts': '', 'other.ts': '' });
    expect((await walkFiles(root, { under: 'app' })).files).toEqual(['app/page.tsx', 'app/x/route.ts']);
  });

  it('stops early at the first file that satisfies stopAt', async () => {
    writeTree({ 'a.ts': '', 'b.ts': '', 'c.ts': '' });
    expect(await walkFiles(root, { stopAt: (path) => path === 'b.ts' })).toMatchObject({ files: ['a.ts', 'b.ts'], cut: null });
  });

  it('returns nothing for a missing folder', async () => {
    expect((await walkFiles(join(root, 'missing'))).files).toEqual([]);
  });
});
