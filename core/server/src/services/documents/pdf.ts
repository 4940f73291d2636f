import { existsSync } from 'node:fs';
import { AppError } from '@quadmeter/sdk';

/** Where Chromium is looked for; QUADMETER_CHROMIUM overrides. */
export function chromiumPath(): string {
  return process.env.QUADMETER_CHROMIUM || '/usr/bin/chromium';
}

interface PageLike {
  setContent(html: string, o: { waitUntil: 'load' }): Promise<void>;
  pdf(o: { preferCSSPageSize: boolean; printBackground: boolean }): Promise<Uint8Array>;
}

interface BrowserLike {
  newContext(o: { javaScriptEnabled: boolean; offline: boolean }): Promise<{
    route(url: string, handler: (r: { abort(): Promise<void> }) => void): Promise<void>;
    newPage(): Promise<PageLike>;
  }>;
  close(): Promise<void>;
}

/**
 * Prints HTML to PDF through headless Chromium (playwright-core), honouring the page's CSS @page
 * size (A4 or the 80 mm roll). Both are optional at runtime: without them this is
 * DOCUMENT_PDF_UNAVAILABLE (503) and the HTML print stays available. JavaScript is off and the
 * page cannot load anything from the network.
 */
export async function htmlToPdf(html: string): Promise<Uint8Array> {
  const path = chromiumPath();
  if (!existsSync(path)) throw new AppError('DOCUMENT_PDF_UNAVAILABLE', undefined, { reason: 'no chromium' });
  let chromium: { launch(o: object): Promise<BrowserLike> };
  try {
    ({ chromium } = (await import('playwright-core')) as unknown as { chromium: typeof chromium });
  } catch {
    throw new AppError('DOCUMENT_PDF_UNAVAILABLE', undefined, { reason: 'no playwright-core' });
  }
  let browser: BrowserLike;
  try {
    browser = await chromium.launch({ executablePath: path, args: ['--no-sandbox'] });
  } catch (err) {
    throw new AppError('DOCUMENT_PDF_UNAVAILABLE', undefined, {
      reason: (err instanceof Error ? err.message : String(err)).split('\n')[0]?.slice(0, 200),
    });
  }
  try {
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
    await context.route('**/*', (r) => void r.abort());
    const page = await context.newPage();
    await page.setContent(html, { waitUntil: 'load' });
    return await page.pdf({ preferCSSPageSize: true, printBackground: true });
  } finally {
    await browser.close();
  }
}
