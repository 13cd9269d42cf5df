import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyApp, drover, hashTree, readJsonLines, REPO_ROOT, startDrover, waitFor } from './helpers/run-cli.js';

// Write scopes with concurrent real-process agents (test/agents/fake-agent.mjs over MCP). Order
// is read from the audit log; the agents synchronise through files, never through sleeps.

const agentCmd = `node ${join(REPO_ROOT, 'test/agents/fake-agent.mjs')}`;

/** A --prompts dir whose install.md and init.md are the bundled ones with a `writes:` scope added. */
async function promptsWithScopes(scopes: { install: string[]; init: string[] }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'drover-prompts-'));
  for (const [name, writes] of Object.entries(scopes)) {
    const bundled = await readFile(join(REPO_ROOT, 'prompts', `${name}.md`), 'utf8');
    await writeFile(join(dir, `${name}.md`), bundled.replace(/^---\n/, `---\nwrites: ${JSON.stringify(writes)}\n`));
  }
  return dir;
}

async function auditOrder(dir: string): Promise<string[]> {
  const events = await readJsonLines(join(dir, '.drover', 'audit.jsonl'));
  return events.filter((event) => event.event === 'task-started' || event.event === 'task-completed').map((event) => `${String(event.event).slice(5)} ${String(event.taskId)}`);
}

describe('write scopes (drover run --concurrency 3 with process agents)', () => {
  it('tasks whose scopes do not overlap run at the same time', async () => {
    const dir = await copyApp(join(REPO_ROOT, 'test/fixtures/apps/express-app'));
    const before = await hashTree(dir);
    const barrier = await mkdtemp(join(tmpdir(), 'drover-barrier-'));
    const prompts = await promptsWithScopes({ install: ['package.json', 'yarn.lock'], init: ['src/posthog.js'] });
    // Each completes only once both have started: with a wrongly serialised schedule neither could finish.
    const result = await drover(['run', '--install-dir', dir, '--ui', 'plain', '--concurrency', '3', '--max-attempts', '1', '--prompts', prompts, '--agent', 'command', '--agent-cmd', agentCmd], {
      FAKE_AGENT_BEHAVIOR: JSON.stringify({ install: 'meet', init: 'meet' }),
      FAKE_AGENT_MEET: 'install-1,init-2',
      FAKE_AGENT_BARRIER_DIR: barrier,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const order = await auditOrder(dir);
    expect(order.indexOf('started init-2')).toBeLessThan(order.indexOf('completed install-1'));
    expect(order.indexOf('started install-1')).toBeLessThan(order.indexOf('completed init-2'));
    expect(await hashTree(dir, ['.drover'])).toEqual(before);
  }, 120_000);

  it('a task whose scope overlaps a running one waits for it — status and the view say why — while unscoped tasks run', async () => {
    const dir = await copyApp(join(REPO_ROOT, 'test/fixtures/apps/express-app'));
    const barrier = await mkdtemp(join(tmpdir(), 'drover-barrier-'));
    const prompts = await promptsWithScopes({ install: ['src/**'], init: ['src/posthog.js'] });
    const run = startDrover(['run', '--install-dir', dir, '--ui', 'plain', '--concurrency', '3', '--max-attempts', '1', '--prompts', prompts, '--agent', 'command', '--agent-cmd', agentCmd], {
      FAKE_AGENT_BEHAVIOR: JSON.stringify({ install: 'wait-release' }),
      FAKE_AGENT_BARRIER_DIR: barrier,
    });
    // install holds its scope until released; plan (unscoped) finishes meanwhile; init must wait.
    await waitFor(async () => existsSync(join(barrier, 'arrived-install-1')), 60_000);
    let status = '';
    await waitFor(async () => {
      status = (await drover(['status', '--state-dir', join(dir, '.drover')])).stdout;
      return status.includes('waits for install-1');
    }, 60_000, 200);
    // plan (unscoped) must finish while install still holds its scope: wait for its completion in
    // the audit log (a status line's duration also shows for a task still running).
    await waitFor(async () => (await auditOrder(dir).catch((): string[] => [])).includes('completed plan-3'), 60_000);
    expect(status).toMatch(/init-2 .*waits for install-1: overlapping writes/);
    await writeFile(join(barrier, 'release-install-1'), '');
    const result = await run.done;
    expect(result.code).toBe(0);
    const order = await auditOrder(dir);
    expect(order.indexOf('completed install-1')).toBeLessThan(order.indexOf('started init-2'));
    expect(order.indexOf('completed plan-3')).toBeLessThan(order.indexOf('completed install-1'));
  }, 120_000);
});
