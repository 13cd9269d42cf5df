import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, newWatchedPage, openDashboard, runBrowserTests } from './helpers/browser.js';
import { startDashboard, type RunningDashboard } from './helpers/dashboard-server.js';
import { writeLargeRun } from './helpers/large-run.js';
import { copyApp, drover, readJsonLines, REPO_ROOT, startDrover, waitFor } from './helpers/run-cli.js';

// The dashboard page in a real browser (Debian's chromium through playwright-core) against the
// real `drover dashboard` bin, over runs made by real agent processes (test/agents/fake-agent.mjs
// over MCP). Every wait is for a selector, a data attribute or a file: never for time.
// DROVER_SCREENSHOTS=1 (`npm run docs:screenshots`) also writes docs/images/dashboard-*.png.

// The callbacks given to page.evaluate run in the browser; these are the browser globals they use
// (the project's tsconfig has no DOM lib).
interface BrowserElement {
  getAttribute(name: string): string | null;
  readonly classList: { contains(name: string): boolean };
}
declare const document: { readonly activeElement: BrowserElement | null; querySelectorAll(selector: string): Iterable<BrowserElement> };
declare const window: {
  EventSource: new (url: string) => { addEventListener(type: string, listener: (message: { lastEventId: string }) => void): void };
  openedEventSources?: string[];
  receivedSeqs?: number[];
  loadedOnce?: boolean;
};

/** Records, in the page, each EventSource opened (its URL) and the id of each run event it delivered. */
async function recordEventSources(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const Native = window.EventSource;
    const opened: string[] = [];
    const received: number[] = [];
    Object.assign(window, { openedEventSources: opened, receivedSeqs: received });
    window.EventSource = class extends Native {
      constructor(url: string) {
        super(url);
        opened.push(String(url));
        this.addEventListener('run-event', (message) => received.push(Number(message.lastEventId)));
      }
    };
  });
}

const agentCmd = `node ${join(REPO_ROOT, 'test/agents/fake-agent.mjs')}`;
const SCREENSHOTS = process.env['DROVER_SCREENSHOTS'] === '1';

interface QueueJson {
  runId: string;
  status: string;
  tasks: Array<{ id: string; type: string; status: string; dependsOn: string[]; enqueuedBy: string }>;
}
const readQueue = async (dir: string): Promise<QueueJson> => JSON.parse(await readFile(join(dir, '.drover', 'queue.json'), 'utf8')) as QueueJson;

/** `[task id, status]` of every node on the page, sorted. */
const nodesOf = (page: Page) => page.$$eval('g.node', (nodes) => nodes.map((node) => [node.getAttribute('data-task-id'), node.getAttribute('data-status')]).sort());
/** `kind from→to` of every edge, sorted. */
const edgesOf = (page: Page) => page.$$eval('path.edge', (edges) => edges.map((edge) => `${edge.getAttribute('data-kind')} ${edge.getAttribute('data-from')}->${edge.getAttribute('data-to')}`).sort());

describe.skipIf(!runBrowserTests)('the dashboard page in a real browser', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  describe('a finished run: plan enqueues llm-analytics, instrument crashes twice (a retry, then failed), the report is blocked', () => {
    let dir: string;
    let queue: QueueJson;
    let dashboard: RunningDashboard;
    beforeAll(async () => {
      dir = await copyApp(join(REPO_ROOT, 'examples/next-app'));
      // instrument starts only once plan has completed, so plan's enqueue always comes before the failure.
      const run = await drover(['run', '--install-dir', dir, '--ui', 'plain', '--agent', 'command', '--agent-cmd', agentCmd], { FAKE_AGENT_BEHAVIOR: JSON.stringify({ instrument: 'exit-nonzero' }) });
      expect(run.code).toBe(1);
      queue = await readQueue(dir);
      dashboard = await startDashboard(['--install-dir', dir]);
    });
    afterAll(async () => {
      await dashboard?.stop();
    });

    it('the Runs view lists the run; the Graph draws every task and every edge, each status by colour and by icon', async () => {
      const { page, context, errors } = await newWatchedPage(browser);
      await openDashboard(page, dashboard.page('#/'));
      expect(await page.$$eval('#runs tr[data-run-id]', (rows) => rows.map((row) => row.getAttribute('data-run-id')))).toEqual([queue.runId]);
      // The token left the address bar once the server had set its cookie.
      expect(page.url()).not.toContain('token=');
      await page.click(`#runs tr[data-run-id="${queue.runId}"]`);
      await page.waitForSelector('g.node');
      expect(await nodesOf(page)).toEqual(queue.tasks.map((task) => [task.id, task.status]).sort());
      const byType = Object.fromEntries(queue.tasks.map((task) => [task.type, task]));
      expect(byType['instrument']?.status).toBe('failed');
      expect(byType['report']?.status).toBe('blocked');
      expect(byType['llm-analytics']?.enqueuedBy).toBe(byType['plan']!.id);
      const expected = queue.tasks.flatMap((task) => [
        ...task.dependsOn.map((dep) => `dependsOn ${dep}->${task.id}`),
        ...(task.enqueuedBy === 'orchestrator' ? [] : [`enqueuedBy ${task.enqueuedBy}->${task.id}`]),
      ]);
      expect(await edgesOf(page)).toEqual(expected.sort());
      // Shape, not only colour: each status draws its own icon; a blocked task names what blocked it.
      const icons = await page.$$eval('g.node', (nodes) => Object.fromEntries(nodes.map((node) => [node.getAttribute('data-status'), node.querySelector('use')?.getAttribute('href')])));
      expect(new Set(Object.values(icons)).size).toBe(Object.keys(icons).length);
      const report = page.locator(`g.node[data-task-id="${byType['report']!.id}"]`);
      expect(await report.getAttribute('aria-label')).toContain(`blocked by ${byType['instrument']!.id}`);
      expect(await page.locator('svg.graph [data-kind="enqueuedBy"]').count()).toBe(1);
      expect(errors).toEqual([]);
      await context.close();
    });

    it('clicking a task shows its handoff and log tail; the keyboard moves between tasks, Enter opens one, Escape closes it', async () => {
      const { page, context, errors } = await newWatchedPage(browser);
      const plan = queue.tasks.find((task) => task.type === 'plan')!;
      await openDashboard(page, dashboard.page(`#/runs/${queue.runId}`));
      await page.click(`g.node[data-task-id="${plan.id}"]`);
      await page.waitForSelector(`#task-detail[data-task-id="${plan.id}"]`);
      expect(await page.textContent('#task-detail [data-field="handoff"]')).toContain('Ran as a fake agent');
      expect(await page.textContent('#task-detail [data-field="log-tail"]')).toContain(`fake-agent: ${plan.id} (plan)`);
      expect(await page.textContent('#task-detail [data-field="attempts"]')).toContain('done');
      await page.keyboard.press('Escape');
      await page.waitForSelector('#task-detail', { state: 'hidden' });
      // Focus went back to the node; the arrow keys move it to another node; Enter opens that one.
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-task-id'))).toBe(plan.id);
      await page.keyboard.press('ArrowDown');
      const next = await page.evaluate(() => document.activeElement?.getAttribute('data-task-id'));
      expect(next).toBeTruthy();
      expect(next).not.toBe(plan.id);
      await page.keyboard.press('Enter');
      await page.waitForSelector(`#task-detail[data-task-id="${next}"]`);
      expect(page.url()).toContain(`/tasks/${next}`);
      expect(errors).toEqual([]);
      await context.close();
    });

    it('the Timeline shows every attempt, the retry of the crashed task, and the run figures', async () => {
      const { page, context, errors } = await newWatchedPage(browser);
      const instrument = queue.tasks.find((task) => task.type === 'instrument')!;
      await openDashboard(page, dashboard.page(`#/runs/${queue.runId}/timeline`));
      await page.waitForSelector('svg.timeline');
      const attempts = await page.$$eval('g.attempt', (rows) => rows.map((row) => `${row.getAttribute('data-task-id')} #${row.getAttribute('data-attempt')} ${row.getAttribute('data-outcome')}`));
      expect(attempts).toEqual(expect.arrayContaining([`${instrument.id} #1 retried`, `${instrument.id} #2 failed`]));
      const started = queue.tasks.filter((task) => task.status !== 'blocked');
      expect(new Set(attempts.map((line) => line.split(' ')[0]))).toEqual(new Set(started.map((task) => task.id)));
      expect(await page.locator('.timeline .mark.first-task').count()).toBe(1);
      expect(errors).toEqual([]);
      await context.close();
    });

    it('requires the token: without it, 401 and no run data; with it, the server cookie lets the page reload without it', async () => {
      for (const path of ['/', '/api/runs', `/api/runs/${queue.runId}`, `/api/runs/${queue.runId}/events`, '/assets/app.js']) {
        const response = await fetch(`${dashboard.origin}${path}`);
        expect(response.status, path).toBe(401);
        expect(await response.text(), path).not.toContain(queue.runId);
      }
      expect((await fetch(`${dashboard.origin}/api/runs?token=wrong`)).status).toBe(401);
      const { page, context } = await newWatchedPage(browser);
      const refused = await page.goto(`${dashboard.origin}/#/runs/${queue.runId}`);
      expect(refused?.status()).toBe(401);
      expect(await page.locator('g.node').count()).toBe(0);
      await openDashboard(page, dashboard.page('#/'));
      await page.reload();
      await page.waitForSelector('#runs tr[data-run-id]');
      await context.close();
    });

    it('works with the network blocked except 127.0.0.1: the page asks nothing of any other host', async () => {
      const { page, context, errors } = await newWatchedPage(browser);
      const elsewhere: string[] = [];
      await context.route('**/*', (route) => {
        if (new URL(route.request().url()).hostname === '127.0.0.1') return route.continue();
        elsewhere.push(route.request().url());
        return route.abort();
      });
      await openDashboard(page, dashboard.page(`#/runs/${queue.runId}`));
      expect(await page.locator('g.node').count()).toBe(queue.tasks.length);
      await page.click('.tabs a[href$="/timeline"]');
      await page.waitForSelector('svg.timeline');
      expect(elsewhere).toEqual([]);
      expect(errors).toEqual([]);
      await context.close();
    });

    it('an unknown run shows an error, not a blank page, and following a link from there works', async () => {
      const { page, context } = await newWatchedPage(browser);
      await openDashboard(page, dashboard.page('#/runs/no-such-run'));
      expect(await page.textContent('[role="alert"]')).toMatch(/Could not load this view/);
      await page.click('[role="alert"] a[href="#/"]');
      await page.click(`#runs tr[data-run-id="${queue.runId}"]`);
      await page.waitForSelector('g.node');
      await context.close();
    });

    it('a dropped event stream reconnects by itself and resumes after the last event it saw (Last-Event-ID)', async () => {
      const { page, context, errors } = await newWatchedPage(browser);
      const events = await readJsonLines(join(dir, '.drover', 'audit.jsonl'));
      const half = Math.floor(events.length / 2);
      // The page starts from an empty copy of the run (seq 0); the first stream carries the first
      // half of the events and ends; the browser must reconnect and the server send the rest.
      await context.route(`**/api/runs/${queue.runId}?*`, (route) => route.continue());
      await context.route(`**/api/runs/${queue.runId}`, async (route) => {
        const response = await route.fetch();
        const body = (await response.json()) as { run: { tasks: unknown[] }; seq: number };
        await route.fulfill({ response, json: { ...body, run: { ...body.run, tasks: [] }, seq: 0 } });
      });
      let streams = 0;
      await context.route('**/events?*', async (route) => {
        streams += 1;
        if (streams > 1) return route.continue();
        const text = events.slice(0, half).map((event) => `id: ${String(event['seq'])}\nevent: run-event\ndata: ${JSON.stringify(event)}\n\n`).join('');
        return route.fulfill({ status: 200, headers: { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' }, body: `retry: 50\n\n${text}` });
      });
      await recordEventSources(page);
      await openDashboard(page, dashboard.page(`#/runs/${queue.runId}`));
      await page.waitForFunction((expected) => JSON.stringify([...document.querySelectorAll('g.node')].map((node) => [node.getAttribute('data-task-id'), node.getAttribute('data-status')]).sort()) === expected, JSON.stringify(queue.tasks.map((task) => [task.id, task.status]).sort()));
      // The second stream is the browser's reconnect (Last-Event-ID: half): every event exactly once, in order.
      await page.waitForFunction((count) => (window.receivedSeqs ?? []).length >= count, events.length);
      expect(streams).toBe(2);
      expect(await page.evaluate(() => window.receivedSeqs)).toEqual(events.map((event) => event['seq']));
      expect(await page.evaluate(() => window.openedEventSources?.length)).toBe(1);
      expect(errors).toEqual([]);
      await context.close();
    });

    it.runIf(SCREENSHOTS)('takes the screenshots for the docs (DROVER_SCREENSHOTS=1)', async () => {
      const out = join(REPO_ROOT, 'docs/images');
      await mkdir(out, { recursive: true });
      const instrument = queue.tasks.find((task) => task.type === 'instrument')!;
      for (const scheme of ['light', 'dark'] as const) {
        const { page, context } = await newWatchedPage(browser, { colorScheme: scheme });
        const suffix = scheme === 'light' ? '' : '-dark';
        await openDashboard(page, dashboard.page('#/'));
        await page.screenshot({ path: join(out, `dashboard-runs${suffix}.png`) });
        await page.goto(dashboard.page(`#/runs/${queue.runId}`));
        await page.waitForSelector('g.node');
        await page.screenshot({ path: join(out, `dashboard-graph${suffix}.png`) });
        await page.click('.tabs a[href$="/timeline"]');
        await page.waitForSelector('svg.timeline');
        await page.screenshot({ path: join(out, `dashboard-timeline${suffix}.png`) });
        await page.goto(dashboard.page(`#/runs/${queue.runId}/tasks/${instrument.id}`));
        await page.waitForSelector(`#task-detail[data-task-id="${instrument.id}"]`);
        await page.screenshot({ path: join(out, `dashboard-task${suffix}.png`) });
        await context.close();
      }
    });
  });

  it('a run started after the page loaded streams in live, with the task an agent enqueued, over one EventSource and without a reload', async () => {
    const dir = await copyApp(join(REPO_ROOT, 'examples/next-app'));
    const barrier = await mkdtemp(join(tmpdir(), 'drover-barrier-'));
    // A first run (stub agents) gives the dashboard a state dir to watch; the next run archives it.
    expect((await drover(['run', '--install-dir', dir, '--ui', 'plain'])).code).toBe(0);
    const first = (await readQueue(dir)).runId;
    const dashboard = await startDashboard(['--install-dir', dir]);
    const { page, context, errors } = await newWatchedPage(browser);
    await recordEventSources(page);
    try {
      await openDashboard(page, dashboard.page('#/'));
      expect(await page.$$eval('#runs tr[data-run-id]', (rows) => rows.map((row) => row.getAttribute('data-run-id')))).toEqual([first]);
      await page.evaluate(() => (window.loadedOnce = true));
      // Concurrency 1 and install held until released: plan (which enqueues llm-analytics) runs after.
      const run = startDrover(['run', '--install-dir', dir, '--ui', 'plain', '--concurrency', '1', '--agent', 'command', '--agent-cmd', agentCmd], {
        FAKE_AGENT_BEHAVIOR: JSON.stringify({ install: 'wait-release' }),
        FAKE_AGENT_BARRIER_DIR: barrier,
      });
      await waitFor(async () => existsSync(join(barrier, 'arrived-install-1')));
      const live = String((await readJsonLines(join(dir, '.drover', 'audit.jsonl')))[0]?.['runId']);
      expect(live).not.toBe(first);
      await page.click(`#runs tr[data-run-id="${live}"]`);
      await page.waitForSelector('g.node[data-task-id="install-1"][data-status="running"]');
      expect(await page.locator('g.node[data-type="llm-analytics"]').count()).toBe(0);
      await page.click('.tabs a[href$="/timeline"]');
      await page.waitForSelector('g.attempt[data-task-id="install-1"]');
      await page.click('.tabs a:not([href$="/timeline"])');
      await page.waitForSelector('g.node');

      await writeFile(join(barrier, 'release-install-1'), '');
      const dynamic = await page.waitForSelector('g.node[data-type="llm-analytics"]');
      const dynamicId = await dynamic.getAttribute('data-task-id');
      await page.waitForSelector(`path.edge[data-kind="enqueuedBy"][data-to="${dynamicId}"]`);
      expect((await run.done).code).toBe(0);
      const queue = await readQueue(dir);
      await page.waitForFunction((count) => [...document.querySelectorAll('g.node')].filter((node) => node.getAttribute('data-status') === 'done').length === count, queue.tasks.length);
      expect(await nodesOf(page)).toEqual(queue.tasks.map((task) => [task.id, 'done']).sort());
      await page.waitForSelector('.run-title .badge.status-done');
      // The same document all along (no reload), and one event stream for the one run viewed.
      expect(await page.evaluate(() => window.loadedOnce)).toBe(true);
      const streams = await page.evaluate(() => window.openedEventSources ?? []);
      expect(streams).toHaveLength(1);
      expect(streams[0]).toContain(`/api/runs/${queue.runId}/events`);
      expect(errors).toEqual([]);
    } finally {
      await writeFile(join(barrier, 'release-install-1'), '');
      await context.close();
      await dashboard.stop();
    }
  });

  it('a 500-task run renders (siblings collapsed into group nodes) and stays usable; prints the time to first render', async () => {
    const { stateDir, runId } = await writeLargeRun(500);
    const queue = JSON.parse(await readFile(join(stateDir, 'queue.json'), 'utf8')) as QueueJson;
    expect(queue.tasks).toHaveLength(500);
    const dashboard = await startDashboard(['--state-dir', stateDir]);
    const { page, context, errors } = await newWatchedPage(browser);
    try {
      // Time to first render as the page itself marks it, each in a fresh page of one warm browser:
      // the floor is the Runs view of the same server (one small fetch), loaded just before.
      const firstRenderMs = async (hash: string): Promise<number> => {
        const fresh = await context.newPage();
        await openDashboard(fresh, dashboard.page(hash));
        const ms = await fresh.evaluate(() => performance.getEntriesByName('drover-first-render')[0]?.startTime ?? NaN);
        await fresh.close();
        return ms;
      };
      await firstRenderMs('#/');
      const floor: number[] = [];
      const graph: number[] = [];
      for (let round = 0; round < 3; round += 1) {
        floor.push(await firstRenderMs('#/'));
        graph.push(await firstRenderMs(`#/runs/${runId}`));
      }
      const median = (values: number[]): number => Math.round([...values].sort((a, b) => a - b)[1]!);
      console.log(JSON.stringify({ measure: 'dashboard time to first render, 500-task run (median of 3)', graph_ms: median(graph), floor_runs_view_ms: median(floor) }));
      await openDashboard(page, dashboard.page(`#/runs/${runId}`));
      if (SCREENSHOTS) await page.screenshot({ path: join(REPO_ROOT, 'docs/images/dashboard-graph-500.png') });

      // Every task is on the page: as its own node or counted in a group node.
      const counted = await page.$$eval('g.node', (nodes) => nodes.reduce((sum, node) => sum + Number(node.getAttribute('data-count') ?? 1), 0));
      expect(counted).toBe(500);
      const groups = page.locator('g.node.group');
      expect(await groups.count()).toBeGreaterThan(0);
      expect(await page.locator('g.node').count()).toBeLessThan(500);
      // Usable: the keyboard moves, a group opens its member list, a member opens its detail.
      await page.focus('g.node');
      await page.keyboard.press('ArrowDown');
      expect(await page.evaluate(() => document.activeElement?.classList.contains('node'))).toBe(true);
      await groups.first().click();
      const member = await page.waitForSelector('#task-detail .members a');
      await member.click();
      await page.waitForSelector('#task-detail [data-field="handoff"]');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      await dashboard.stop();
    }
  });
});
