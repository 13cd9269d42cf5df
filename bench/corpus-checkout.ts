/**
 * Checks a commit of a bare mirror out into a folder, for the detection corpus. `git archive`
 * stops at the first missing object, and the mirrors here lack files of 4 MiB and more, so the
 * blobs are streamed through one `git cat-file --batch` and the missing ones are skipped (they
 * are assets, never manifests or source the scan would read). Symbolic links are written as
 * links, as a clone would. Nothing of the checkout is kept in this repository.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

interface Entry {
  readonly mode: string;
  readonly oid: string;
  readonly path: string;
}

export interface Checkout {
  readonly dir: string;
  readonly files: number;
  readonly missing: number;
}

export function resolveCommit(gitDir: string, commit: string): string | null {
  const result = spawnSync('git', ['--git-dir', gitDir, 'rev-parse', '--verify', '--quiet', `${commit}^{commit}`], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : null;
}

export async function checkoutCommit(gitDir: string, commit: string, dest: string): Promise<Checkout> {
  const marker = join(dest, '.drover-corpus-complete');
  if (existsSync(marker)) return { dir: dest, files: -1, missing: -1 };
  const tree = spawnSync('git', ['--git-dir', gitDir, 'ls-tree', '-r', '-z', commit], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (tree.status !== 0) throw new Error(`git ls-tree ${commit} failed: ${tree.stderr}`);
  const entries: Entry[] = [];
  for (const line of tree.stdout.split('\0')) {
    const match = /^(\d+) blob ([0-9a-f]+)\t(.+)$/s.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined && match[3] !== undefined) entries.push({ mode: match[1], oid: match[2], path: match[3] });
  }
  mkdirSync(dest, { recursive: true });
  const missing = await writeBlobs(gitDir, entries, dest);
  writeFileSync(marker, `${commit}\n`);
  return { dir: dest, files: entries.length - missing, missing };
}

function writeBlobs(gitDir: string, entries: readonly Entry[], dest: string): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('git', ['--git-dir', gitDir, 'cat-file', '--batch'], { stdio: ['pipe', 'pipe', 'inherit'] });
    let buffer: Buffer = Buffer.alloc(0);
    let index = 0;
    let missing = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
      for (;;) {
        const newline = buffer.indexOf(10);
        if (newline === -1) return;
        const header = buffer.subarray(0, newline).toString('utf8');
        const entry = entries[index];
        if (entry === undefined) return;
        if (header.endsWith(' missing')) {
          buffer = buffer.subarray(newline + 1);
          missing += 1;
          index += 1;
          continue;
        }
        const size = Number(header.split(' ')[2]);
        if (buffer.length < newline + 1 + size + 1) return;
        const content = buffer.subarray(newline + 1, newline + 1 + size);
        buffer = buffer.subarray(newline + 1 + size + 1);
        index += 1;
        const file = join(dest, entry.path);
        mkdirSync(dirname(file), { recursive: true });
        try {
          if (entry.mode === '120000') symlinkSync(content.toString('utf8'), file);
          else writeFileSync(file, content);
        } catch {
          missing += 1;
        }
      }
    });
    child.on('error', reject);
    child.on('close', () => resolvePromise(missing));
    child.stdin.end(entries.map((entry) => `${entry.oid}\n`).join(''));
  });
}
