import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface BrowserSession {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Where failure screenshots go. */
  artifactsDir: string;
  close(): Promise<void>;
}

/** Debian's Chromium, headless, with a fresh context (no cookies, no storage). */
export async function openBrowser(baseURL: string): Promise<BrowserSession> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  const context = await browser.newContext({ baseURL, viewport: { width: 1400, height: 900 }, locale: 'zh-CN' });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const artifactsDir = await mkdtemp(join(tmpdir(), 'qm-admin-e2e-'));
  return {
    browser,
    context,
    page,
    artifactsDir,
    async close() {
      await context.close().catch(() => {});
      await browser.close().catch(() => {});
    },
  };
}

/** Runs a step; on failure saves a full-page screenshot and names it in the error. */
export async function withScreenshot<T>(session: BrowserSession, name: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (e) {
    const path = join(session.artifactsDir, `${name}.png`);
    await session.page.screenshot({ path, fullPage: true }).catch(() => {});
    const err = e instanceof Error ? e : new Error(String(e));
    err.message += `\nscreenshot: ${path}`;
    throw err;
  }
}

/** Removes the artifacts folder when nothing failed. */
export async function dropArtifacts(session: BrowserSession): Promise<void> {
  await rm(session.artifactsDir, { recursive: true, force: true });
}

/**
 * A suite's screenshot steps over its browser session (got lazily: it opens in beforeAll): `step`
 * runs a step under withScreenshot and remembers a failure; `close` closes the browser and drops
 * the artifacts folder only when every step passed, so a failure's screenshots stay.
 */
export function screenshotSteps(session: () => BrowserSession | undefined) {
  let failed = false;
  return {
    async step<T>(name: string, fn: () => Promise<T>): Promise<T> {
      const b = session();
      if (!b) throw new Error(`step ${name}: the browser is not open`);
      try {
        return await withScreenshot(b, name, fn);
      } catch (e) {
        failed = true;
        throw e;
      }
    },
    /** a failure outside `step` (a test that uses withScreenshot itself) */
    fail() {
      failed = true;
    },
    async close() {
      const b = session();
      await b?.close();
      if (b && !failed) await dropArtifacts(b);
    },
  };
}
