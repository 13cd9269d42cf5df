import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpGet } from './helpers/dashboard-client.js';
import { copyApp, drover, REPO_ROOT, startDrover } from './helpers/run-cli.js';

const URL_LINE = /^http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]{43})$/;

let app: string;
let empty: string;
beforeAll(async () => {
  app = await copyApp(join(REPO_ROOT, 'examples', 'next-app'));
  empty = await mkdtemp(join(tmpdir(), 'drover-dash-empty-'));
  const result = await drover(['run', '--install-dir', app, '--ui', 'plain', '--no-telemetry']);
  expect(result.code, result.stderr).toBe(0);
});
afterAll(async () => {
  await rm(app, { recursive: true, force: true });
  await rm(empty, { recursive: true, force: true });
});

describe('drover dashboard (CLI)', () => {
  it('prints its URL with the token as the first stdout line, serves the runs there, and closes cleanly on SIGINT (real process)', async () => {
    const started = startDrover(['dashboard', '--state-dir', join(app, '.drover')]);
    let stdout = '';
    started.child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    await started.stdoutMatches(/\n/);
    const [, port, token] = URL_LINE.exec(stdout.split('\n')[0]!) ?? [];
    expect(port).toBeDefined();
    const reply = await httpGet(`http://127.0.0.1:${port}/api/runs`, { Authorization: `Bearer ${token}` });
    expect(reply.status).toBe(200);
    expect(reply.json<{ runs: Array<{ status: string }> }>().runs).toEqual([expect.objectContaining({ status: 'done' })]);
    expect((await httpGet(`http://127.0.0.1:${port}/api/runs`)).status).toBe(401);
    // The installed bin serves the page from dist/web/static, which the build copied from src/web/static.
    const page = await httpGet(`http://127.0.0.1:${port}/?token=${token}`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    const source = join(REPO_ROOT, 'src', 'web', 'static');
    for (const name of existsSync(source) ? await readdir(source) : []) {
      expect(await readFile(join(REPO_ROOT, 'dist', 'web', 'static', name), 'utf8'), name).toBe(await readFile(join(source, name), 'utf8'));
      if (name === 'index.html') expect(page.body).toBe(await readFile(join(source, name), 'utf8'));
    }
    started.child.kill('SIGINT');
    const result = await started.done;
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout.split('\n').filter((line) => line !== '')).toHaveLength(1);
  });

  it('refuses a state dir that does not exist, a bad install dir, two sources, and drover run --allow-actions without --dashboard: one line, exit 2', async () => {
    for (const args of [
      ['dashboard', '--state-dir', join(empty, 'missing')],
      ['dashboard', '--install-dir', join(empty, 'missing')],
      ['dashboard', '--install-dir', empty],
      ['dashboard', '--install-dir', app, '--state-dir', join(app, '.drover')],
      ['run', '--install-dir', app, '--allow-actions'],
      ['dashboard', '--install-dir', app, '--port', 'eighty'],
    ]) {
      const result = await drover(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stdout, args.join(' ')).toBe('');
      expect(result.stderr.trimEnd().split('\n'), args.join(' ')).toHaveLength(1);
      expect(result.stderr).toMatch(/^drover: /);
    }
    expect((await drover(['dashboard', '--state-dir', join(empty, 'missing')])).stderr).toContain(join(empty, 'missing'));
  });

  it('refuses an unreachable store: one line naming it, exit 2', async () => {
    const result = await drover(['dashboard', '--store', 'postgres://postgres@127.0.0.1:1/nowhere']);
    expect(result.code).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('127.0.0.1:1');
  });

  it('drover run --dashboard prints the dashboard URL on stderr and closes it when the run ends', async () => {
    const other = await copyApp(join(REPO_ROOT, 'examples', 'next-app'));
    try {
      const result = await drover(['run', '--install-dir', other, '--ui', 'plain', '--no-telemetry', '--dashboard']);
      expect(result.code, result.stderr).toBe(0);
      const match = /^drover: dashboard at (http:\/\/127\.0\.0\.1:(\d+)\/\?token=\S+)$/m.exec(result.stderr);
      expect(match).not.toBeNull();
      await expect(httpGet(`http://127.0.0.1:${match![2]}/api/runs`)).rejects.toThrow(/ECONNREFUSED/);
      expect(await readFile(join(other, '.drover', 'audit.jsonl'), 'utf8')).toContain('run-finished');
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });
});
