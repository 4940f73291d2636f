import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';
import type { BrowserContext, Page } from 'playwright-core';
import { type BrowserSession, openBrowser } from './browser.ts';

/** Where phone-test screenshots are kept (every step, pass or fail): QUADMETER_E2E_ARTIFACTS or .tmp/. */
export function artifactsDir(suite: string): string {
  const root = process.env.QUADMETER_E2E_ARTIFACTS ?? fileURLToPath(new URL('../../../.tmp/e2e-artifacts', import.meta.url));
  return join(root, suite);
}

/**
 * A phone-sized Chromium session (390×844, touch, zh-CN) with geolocation granted at `where`: a new
 * context replaces openBrowser's desktop one.
 */
export async function openPhone(
  baseURL: string,
  where: { latitude: number; longitude: number },
): Promise<BrowserSession> {
  const desk = await openBrowser(baseURL);
  await desk.context.close();
  const context: BrowserContext = await desk.browser.newContext({
    baseURL,
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    geolocation: where,
    permissions: ['geolocation'],
    serviceWorkers: 'allow',
  });
  context.setDefaultTimeout(20_000);
  const page: Page = await context.newPage();
  return {
    ...desk,
    context,
    page,
    async close() {
      await context.close().catch(() => {});
      await desk.browser.close().catch(() => {});
    },
  };
}

/** Saves a screenshot of the page under the kept artifacts folder. */
export async function keepShot(page: Page, dir: string, name: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** A real PNG image (a w×h block of one colour), as a phone camera would hand over a file. */
export function pngImage(w: number, h: number, rgb: [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.concat(Array.from({ length: w }, () => Buffer.from(rgb)))]);
  const raw = Buffer.concat(Array.from({ length: h }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
