import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, statfs, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyApp, drover, REPO_ROOT } from './helpers/run-cli.js';

/**
 * A real small file system (tmpfs) that fills up, and one that is read-only. Mounting needs
 * root (or CAP_SYS_ADMIN); where the machine refuses it, these cases are skipped and the same
 * failures are covered by fault injection in store-hardening.test.ts.
 */
const mounts: string[] = [];
let refusal: string | undefined;

async function mountTmpfs(options: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'drover-tmpfs-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'pipe' });
  mounts.push(dir);
  return dir;
}

beforeAll(async () => {
  try {
    await mountTmpfs('size=64k');
  } catch (error) {
    refusal = `this machine refuses to mount a tmpfs (${(error as Error).message.split('\n')[0]})`;
  }
});

afterAll(() => {
  for (const dir of mounts.reverse()) execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
});

const APP = join(REPO_ROOT, 'examples', 'next-app');

describe('a real small file system', () => {
  it('full disk mid-run: one line naming the path and ENOSPC, exit 4, lock released, no stack; the run resumes once space is back', async (context) => {
    if (refusal !== undefined) return context.skip(refusal);
    const disk = await mountTmpfs('size=256k');
    const app = await copyApp(APP);
    await rm(join(app, '.drover'), { recursive: true, force: true });
    const stateDir = join(disk, 'state');
    // Leave 40 KB: enough to start the run, not enough to finish it (a stub run writes ~120 KB).
    const { bavail, bsize } = await statfs(disk);
    await writeFile(join(disk, 'filler'), Buffer.alloc(Math.max(0, bavail * bsize - 40 * 1024)));
    const args = ['run', '--install-dir', app, '--state-dir', stateDir, '--ui', 'plain', '--no-telemetry', '--max-attempts', '1'];
    const full = await drover(args);
    expect(full.code).toBe(4);
    // Telemetry reports its own lost events.jsonl on a line of its own; the run's error is one line.
    const errorLines = full.stderr.split('\n').filter((line) => line.startsWith('drover: ') && !line.startsWith('drover: telemetry:'));
    expect(errorLines).toHaveLength(1);
    expect(errorLines[0]).toMatch(new RegExp(`^drover: ${stateDir}/\\S+: could not .+: no space left on the device \\(ENOSPC\\)$`));
    expect(full.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(stateDir, 'lock'))).toBe(false);
    await rm(join(disk, 'filler'));
    const resumed = await drover(['run', '--install-dir', app, '--state-dir', stateDir, '--ui', 'plain', '--no-telemetry', '--resume']);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
  }, 120_000);

  it('a read-only install dir: one line naming the state dir and EROFS, exit 4, nothing written', async (context) => {
    if (refusal !== undefined) return context.skip(refusal);
    const disk = await mountTmpfs('size=1m');
    const app = join(disk, 'app');
    await mkdir(app);
    await cp(APP, app, { recursive: true });
    await rm(join(app, '.drover'), { recursive: true, force: true });
    execFileSync('mount', ['-o', 'remount,ro', disk], { stdio: 'pipe' });
    const result = await drover(['run', '--install-dir', app, '--ui', 'plain', '--no-telemetry']);
    expect(result.stderr).toBe(`drover: ${join(app, '.drover')}: could not create the state directory: the file system is read-only (EROFS)\n`);
    expect(result.code).toBe(4);
  }, 60_000);
});
