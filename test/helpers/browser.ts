import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/**
 * Debian's chromium, driven by playwright-core (Playwright's own browser download does not work
 * on these machines; `.ci/run` installs the Debian package). `DROVER_CHROMIUM` points elsewhere.
 */
export const CHROMIUM_PATH = process.env['DROVER_CHROMIUM'] ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM_PATH);

/**
 * Whether the browser tests run: always under CI or `.ci/run` (`DROVER_REQUIRE_BROWSER=1`), where
 * a missing chromium must fail loudly, and locally when chromium is installed (as the tmux tests
 * do with tmux).
 */
export const runBrowserTests = hasChromium || process.env['CI'] !== undefined || process.env['DROVER_REQUIRE_BROWSER'] === '1';

export async function launchChromium(): Promise<Browser> {
  if (!hasChromium) throw new Error(`${CHROMIUM_PATH} not found: the dashboard's browser tests need Debian's chromium (apt-get install -y chromium), which .ci/run installs`);
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}

export interface WatchedPage {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Uncaught errors and console errors the page produced: a test expects none. */
  readonly errors: string[];
}

/** A fresh context (own cookies) and page, recording the page's errors. */
export async function newWatchedPage(browser: Browser, options: { colorScheme?: 'light' | 'dark' } = {}): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: options.colorScheme ?? 'light' });
  const page = await context.newPage();
  // Waits are for selectors and events; this only turns a hang into a failure on a loaded machine.
  page.setDefaultTimeout(120_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  return { context, page, errors };
}

/** Loads `url` and waits until the page says its first view has rendered. */
export async function openDashboard(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]');
}
