import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, loggedIn } from '../../core/server/test/client.ts';
import { startTestPlatform } from '../../core/server/test/platform.ts';
import { buildEstate, pdfText } from '../../core/server/src/http/tests/report-fixtures.ts';
import { login, openMenu, sel } from './support/admin-ui.ts';
import { type BrowserSession, openBrowser, screenshotSteps } from './support/browser.ts';
import { ensureAdminBuilt } from './support/build-admin.ts';

// Reports in Chromium: open the monthly consumption report on real rows, design a layout in the
// designer (palette insert, live preview with an ECharts SVG, a broken layout's error), save it
// as a version, export PDF and Excel through the page's buttons; the PDF's pages are rendered
// to PNG by pdf.js in Chromium and its text checked; the xlsx is read back with exceljs.

type Platform = Awaited<ReturnType<typeof startTestPlatform>>;

/** Screenshots and the rendered PDF pages, kept as test artifacts (the repository ignores .tmp/). */
const SHOTS = fileURLToPath(new URL('../../.tmp/reports-e2e/', import.meta.url));
const PDFJS = fileURLToPath(new URL('../../node_modules/pdfjs-dist/build/', import.meta.url));

const VIEWER = `<!doctype html><html><body style="margin:0;background:#888">
<script type="module">
import * as pdfjs from './pdf.mjs';
pdfjs.GlobalWorkerOptions.workerSrc = './pdf.worker.mjs';
const doc = await pdfjs.getDocument('./doc.pdf').promise;
for (let i = 1; i <= doc.numPages; i++) {
  const page = await doc.getPage(i);
  const viewport = page.getViewport({ scale: 1.5 });
  const canvas = document.createElement('canvas');
  canvas.width = viewport.width;
  canvas.height = viewport.height;
  canvas.dataset.page = String(i);
  canvas.style.display = 'block';
  document.body.appendChild(canvas);
  await page.render({ canvas, canvasContext: canvas.getContext('2d'), viewport }).promise;
}
window.__pages = doc.numPages;
</script></body></html>`;

/** Renders every page of `pdf` in Chromium with pdf.js and saves each as PNG; answers the paths. */
async function pdfToPngs(b: BrowserSession, pdf: Buffer, prefix: string): Promise<string[]> {
  const viewer = await b.context.newPage();
  await viewer.route('http://pdfview.local/**', async (route) => {
    const name = new URL(route.request().url()).pathname.slice(1);
    if (name === 'index.html') return route.fulfill({ contentType: 'text/html', body: VIEWER });
    if (name === 'doc.pdf') return route.fulfill({ contentType: 'application/pdf', body: pdf });
    if (name === 'pdf.mjs' || name === 'pdf.worker.mjs')
      return route.fulfill({ contentType: 'text/javascript', body: readFileSync(join(PDFJS, name)) });
    return route.abort();
  });
  await viewer.goto('http://pdfview.local/index.html');
  await viewer.waitForFunction(() => (window as unknown as { __pages?: number }).__pages, null, { timeout: 30_000 });
  const canvases = viewer.locator('canvas');
  const paths: string[] = [];
  for (let i = 0; i < (await canvases.count()); i++) {
    const path = join(SHOTS, `${prefix}-page-${i + 1}.png`);
    await canvases.nth(i).screenshot({ path });
    paths.push(path);
  }
  await viewer.close();
  return paths;
}

describe('reports in Chromium', () => {
  let platform: Platform;
  let b: BrowserSession;
  let api: Client;
  const steps = screenshotSteps(() => b);

  beforeAll(async () => {
    ensureAdminBuilt();
    platform = await startTestPlatform();
    api = await loggedIn(platform.baseUrl, 'demo', 'admin', platform.demo.password);
    await buildEstate(platform, api);
    b = await openBrowser(platform.baseUrl);
    mkdirSync(SHOTS, { recursive: true });
    console.log(`reports e2e screenshots and PDF pages: ${SHOTS}`);
  }, 240_000);

  afterAll(async () => {
    await steps.close();
    await platform?.stop();
  });

  it('designs a layout, previews it on real data, saves a version, exports PDF and Excel', async () => {
    const { page } = b;
    await steps.step('run', async () => {
      await login(page, platform.demo.tenant, platform.demo.username, platform.demo.password);
      await openMenu(page, 'reports', 'reports-page');
      await page.click(sel('rep-open-monthly-consumption'));
      await page.locator(sel('report-runner')).waitFor();
      await page.click(sel('rep-run'));
      await page.locator(sel('rep-result'), { hasText: 'SUN-W1' }).waitFor();
      expect(await page.locator(sel('rep-result')).textContent()).toContain('XFL-W1');
      expect(await page.locator(sel('rep-total')).textContent()).toBe('共 6 行');
      await page.screenshot({ path: join(SHOTS, 'run.png'), fullPage: true });
    });

    await steps.step('design', async () => {
      const frame = page.frameLocator(sel('rep-preview'));
      // the built-in default previews first
      await expect.poll(() => frame.locator('h1').textContent(), { timeout: 15_000 }).toBe('月度用量（按区域与表类型）');
      const editor = page.locator(sel('rep-template-source'));
      await editor.fill('<h1>{{title}}\n{{#each rows}}');
      const error = page.locator(sel('rep-preview-error'));
      await error.waitFor();
      expect(await error.textContent()).toContain('第');
      expect(await page.locator(sel('rep-layout-save')).isDisabled()).toBe(true);
      await editor.fill(
        '<h1>E2E {{title}}</h1>{{chart "bar" rows "area" "usage"}}<table>{{#each (groupBy rows "area") as |g|}}<tr><td class="area">{{g.key}}</td><td>{{num (sum g.rows "usage") 2}}</td></tr>{{/each}}</table>{{#each rows as |row|}}<p class="asset">',
      );
      await editor.press('End');
      await page.click(sel('rep-field-assetNo'));
      await expect.poll(() => editor.inputValue()).toMatch(/\{\{row\.assetNo\}\}$/);
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      await editor.press('End');
      await page.keyboard.type('</p>{{/each}}');
      await expect.poll(() => frame.locator('h1').textContent(), { timeout: 15_000 }).toBe('E2E 月度用量（按区域与表类型）');
      await expect.poll(() => frame.locator('.asset').allTextContents(), { timeout: 15_000 }).toContain('SUN-W1');
      expect(await frame.locator('svg').count()).toBeGreaterThan(0);
      expect(await frame.locator('.area').allTextContents()).toEqual(['SUN-AREA', 'XFL-AREA']);
      await page.click(sel('rep-orientation-landscape'));
      await page.locator(`input${sel('rep-layout-note')}, ${sel('rep-layout-note')} input`).fill('e2e');
      await page.screenshot({ path: join(SHOTS, 'designer.png'), fullPage: true });
      await page.click(sel('rep-layout-save'));
      await page.locator(sel('rep-version-current-1')).waitFor();
      const saved = (await api.get('/api/v1/reports/monthly-consumption')).body;
      expect(saved.layout).toMatchObject({ version: 1, orientation: 'landscape' });
      expect(saved.layout.source).toContain('{{row.assetNo}}');
      expect(saved.versions[0]).toMatchObject({ version: 1, note: 'e2e' });
    });

    await steps.step('print', async () => {
      await page.click(sel('rep-print'));
      const print = page.frameLocator(sel('rep-print-frame'));
      await expect.poll(() => print.locator('h1').textContent(), { timeout: 15_000 }).toBe('E2E 月度用量（按区域与表类型）');
      await page.locator(sel('rep-print-frame')).scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SHOTS, 'print.png'), fullPage: true });
    });

    await steps.step('pdf', async () => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click(sel('rep-pdf'))]);
      const path = join(SHOTS, 'monthly-consumption.pdf');
      await download.saveAs(path);
      const pdf = readFileSync(path);
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      const text = await pdfText(pdf);
      expect(text).toContain('E2E');
      expect(text).toContain('SUN-AREA');
      expect(text).toContain('SUN-W1');
      const pngs = await pdfToPngs(b, pdf, 'monthly-consumption');
      expect(pngs.length).toBeGreaterThan(0);
      for (const p of pngs) expect(readFileSync(p).subarray(1, 4).toString()).toBe('PNG');
      // a landscape A4 page renders wider than tall
      const shot = readFileSync(pngs[0]!);
      expect(shot.readUInt32BE(16)).toBeGreaterThan(shot.readUInt32BE(20));
    });

    await steps.step('excel', async () => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click(sel('rep-excel'))]);
      const path = join(SHOTS, 'monthly-consumption.xlsx');
      await download.saveAs(path);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(path);
      const ws = wb.worksheets[0]!;
      const rows: unknown[][] = [];
      ws.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
      const w1 = rows.find((r) => r[2] === 'SUN-W1')!;
      expect(w1).toEqual(['SUN-AREA', 'meter-water', 'SUN-W1', 35.5, 10]);
      expect(rows.find((r) => r[0] === '小计 SUN-AREA')?.[3]).toBe(227.5);
      expect(rows.at(-1)?.[0]).toBe('合计');
      expect(rows.at(-1)?.[3]).toBe(455);
      writeFileSync(join(SHOTS, 'excel-rows.json'), JSON.stringify(rows, null, 1));
    });

    await steps.step('background export', async () => {
      await page.click(sel('rep-queue-xlsx'));
      await expect
        .poll(async () => (await api.get('/api/v1/reports/outputs')).body.items[0]?.status, { timeout: 30_000 })
        .toBe('done');
      await page.locator(`${sel('rep-output-done')}, ${sel('rep-output-failed')}`).first().waitFor({ timeout: 30_000 });
      const outs = (await api.get('/api/v1/reports/outputs')).body.items;
      expect(outs[0]).toMatchObject({ report: 'monthly-consumption', format: 'xlsx', status: 'done', progress: 100, rows: 6 });
      await page.locator(sel(`rep-output-file-${outs[0].id}`)).waitFor();
      await page.locator(sel('report-outputs')).scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SHOTS, 'exports.png'), fullPage: true });
    });
  }, 180_000);
});
