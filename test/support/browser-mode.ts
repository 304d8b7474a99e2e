/** Starts the built app in browser mode on a temporary database, and Debian's Chromium to drive it. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before } from 'node:test';
import { chromium, type Browser, type BrowserContextOptions, type Locator, type Page } from 'playwright-core';
import type { ApiCalls, ApiMethod } from '../../src-shared/api';
import { TOKEN_HEADER, TOKEN_QUERY } from '../../src-shared/transport';
import { projectRoot } from '../../src-main/platform/paths';
import { PATIENCE_MS, tempDir } from './fixtures';

export const CHROMIUM_PATH = process.env.SCOREBENCH_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

export interface BrowserModeApp {
  /** The URL with the per-launch token. */
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function startBrowserMode(dbPath: string): Promise<BrowserModeApp> {
  const child = spawn(process.execPath, [join(projectRoot(), 'bin', 'scorebench.js'), 'serve', '--db', dbPath, '--data-dir', dirname(dbPath)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), PATIENCE_MS);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  return {
    url,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

/**
 * A new page whose every wait (an action, a locator's waitFor) allows PATIENCE_MS rather than
 * Playwright's 30 s: the page's work competes with the engine's on a loaded CI machine.
 */
export async function openPage(browser: Browser, options: BrowserContextOptions = {}): Promise<Page> {
  const page = await browser.newPage(options);
  page.setDefaultTimeout(PATIENCE_MS);
  return page;
}

/** What a browser-mode test file drives: filled in by browserModeSuite's `before` hook. */
export interface BrowserModeSuite {
  /** The file's temporary folder: the database and any data files live here. */
  readonly dir: string;
  readonly app: BrowserModeApp;
  readonly browser: Browser;
}

/** What a test file does around the app's start, inside the one `before` hook. */
export interface SuiteSteps {
  /** Before the app starts: write data files, seed the database with the engine. */
  prepare?(dir: string, dbPath: string): Promise<void>;
  /** Once the app and Chromium run: open the file's page. */
  ready?(suite: BrowserModeSuite): Promise<void>;
}

/**
 * For one test file: a temporary folder, `steps.prepare` run in it, then the app in browser mode on
 * `<dir>/<dbName>` and a Chromium, then `steps.ready`; all stopped and removed after the file's
 * tests. One hook does it all: Node 20 starts a file's top-level `before` hooks without waiting
 * for the ones registered earlier, so a second hook could not rely on this one.
 */
export function browserModeSuite(dbName: string, steps: SuiteSteps = {}): BrowserModeSuite {
  const tmp = tempDir();
  const state: { dir: string; app?: BrowserModeApp; browser?: Browser } = { dir: tmp.dir };
  before(async () => {
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    const dbPath = join(tmp.dir, dbName);
    await steps.prepare?.(tmp.dir, dbPath);
    state.app = await startBrowserMode(dbPath);
    state.browser = await launchChromium();
    await steps.ready?.(suite);
  });
  after(async () => {
    await state.browser?.close();
    await state.app?.stop();
    tmp.cleanup();
  });
  const suite: BrowserModeSuite = {
    dir: tmp.dir,
    get app() {
      if (!state.app) throw new Error('the browser-mode app is not running (before() has not run or failed)');
      return state.app;
    },
    get browser() {
      if (!state.browser) throw new Error('Chromium is not running (before() has not run or failed)');
      return state.browser;
    },
  };
  return suite;
}

/** Polls a locator's text until it matches (playwright-core has no `expect`). */
export async function waitForText(locator: Locator, pattern: RegExp, timeoutMs = PATIENCE_MS): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    last = (await locator.textContent({ timeout: timeoutMs }).catch(() => null)) ?? '';
    if (pattern.test(last)) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${pattern}; last text: "${last}"`);
}

/** One API call over HTTP to the app, as its page makes it (for setting up and checking what the UI did). */
export async function callApi<K extends ApiMethod>(app: BrowserModeApp, method: K, args: ApiCalls[K]['args']): Promise<ApiCalls[K]['result']> {
  const url = new URL(app.url);
  const res = await fetch(new URL(`/api/${method}`, url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', [TOKEN_HEADER]: url.searchParams.get(TOKEN_QUERY)! },
    body: JSON.stringify(args),
  });
  const reply = (await res.json()) as { ok: boolean; result: ApiCalls[K]['result']; error?: { message: string } };
  if (!reply.ok) throw new Error(reply.error?.message);
  return reply.result;
}

/** Where the end-to-end tests keep their screenshots (a CI artifact). */
export const ARTIFACTS_DIR = join(projectRoot(), 'test-results');

/** Screenshot of the app's whole main area into ARTIFACTS_DIR: the viewport grows to its scroll height first. */
export async function screenshotMain(page: Page, name: string): Promise<void> {
  const height = await page.locator('.main').evaluate((main) => main.scrollHeight);
  await page.setViewportSize({ width: 1440, height: Math.min(Math.max(900, height), 6000) });
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(ARTIFACTS_DIR, name) });
  await page.setViewportSize({ width: 1440, height: 900 });
}
