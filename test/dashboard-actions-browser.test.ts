import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, newWatchedPage, openDashboard, runBrowserTests } from './helpers/browser.js';
import { startDashboard, type RunningDashboard } from './helpers/dashboard-server.js';
import { copyApp, drover, readJsonLines, REPO_ROOT } from './helpers/run-cli.js';

// The dashboard's actions in a real browser (Debian's chromium through playwright-core) against
// the real `drover dashboard --allow-actions` bin, over a finished run made by real agent
// processes. Every wait is for a selector or a data attribute: never for time.

const agentCmd = `node ${join(REPO_ROOT, 'test/agents/fake-agent.mjs')}`;

interface QueueJson {
  runId: string;
  status: string;
  tasks: Array<{ id: string; type: string; status: string }>;
}

describe.skipIf(!runBrowserTests)('dashboard actions in a real browser', () => {
  let browser: Browser;
  let dir: string;
  let queue: QueueJson;
  const dashboards: RunningDashboard[] = [];
  beforeAll(async () => {
    browser = await launchChromium();
    dir = await copyApp(join(REPO_ROOT, 'examples/next-app'));
    // instrument crashes on both attempts: it fails, and the report behind it is blocked.
    const run = await drover(['run', '--install-dir', dir, '--ui', 'plain', '--agent', 'command', '--agent-cmd', agentCmd], { FAKE_AGENT_BEHAVIOR: JSON.stringify({ instrument: 'exit-nonzero' }) });
    expect(run.code).toBe(1);
    queue = JSON.parse(await readFile(join(dir, '.drover', 'queue.json'), 'utf8')) as QueueJson;
  });
  afterAll(async () => {
    for (const dashboard of dashboards) await dashboard.stop();
    await browser?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('a read-only dashboard offers no action', async () => {
    const dashboard = await startDashboard(['--install-dir', dir]);
    dashboards.push(dashboard);
    const instrument = queue.tasks.find((task) => task.type === 'instrument')!;
    const { page, context, errors } = await newWatchedPage(browser);
    await openDashboard(page, dashboard.page(`#/runs/${queue.runId}/tasks/${instrument.id}`));
    await page.waitForSelector(`#task-detail[data-task-id="${instrument.id}"][data-status="failed"]`);
    expect(await page.locator('button[data-action]').count()).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('Retry on a failed task of a finished run: it and the report it blocked become pending in the graph, the run reopens; then Cancel ends it', async () => {
    const dashboard = await startDashboard(['--install-dir', dir, '--allow-actions']);
    dashboards.push(dashboard);
    const instrument = queue.tasks.find((task) => task.type === 'instrument')!;
    const report = queue.tasks.find((task) => task.type === 'report')!;
    expect([instrument.status, report.status, queue.status]).toEqual(['failed', 'blocked', 'failed']);
    const { page, context, errors } = await newWatchedPage(browser);
    await openDashboard(page, dashboard.page(`#/runs/${queue.runId}/tasks/${instrument.id}`));
    await page.waitForSelector(`g.node[data-task-id="${instrument.id}"][data-status="failed"]`);
    // No Cancel on a finished run.
    expect(await page.locator('button[data-action="cancel-run"]').count()).toBe(0);
    await page.click('#task-detail button[data-action="retry"]');
    // The result comes back through the event stream, like any event.
    await page.waitForSelector(`g.node[data-task-id="${instrument.id}"][data-status="pending"]`);
    await page.waitForSelector(`g.node[data-task-id="${report.id}"][data-status="pending"]`);
    await page.waitForSelector(`#task-detail[data-task-id="${instrument.id}"][data-status="pending"]`);
    expect(await page.locator('#task-detail button[data-action="retry"]').count()).toBe(0);
    const audit = await readJsonLines(join(dir, '.drover', 'audit.jsonl'));
    expect(audit.at(-1)).toMatchObject({ event: 'task-retried', taskId: instrument.id, unblocked: [report.id], reopened: true, by: 'dashboard', address: '127.0.0.1' });

    // The run is running again (until a drover run --resume works it): it can be cancelled from the page.
    await page.click('button[data-action="cancel-run"]');
    await page.waitForSelector('.run-title .badge.status-cancelled');
    const after = await readJsonLines(join(dir, '.drover', 'audit.jsonl'));
    expect(after.at(-1)).toMatchObject({ event: 'run-finished', verdict: 'cancelled' });
    expect(errors).toEqual([]);
    await context.close();
  });
});
