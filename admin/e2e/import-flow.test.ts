import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform } from '../../core/server/test/platform.ts';
import { login, openMenu, sel } from './support/admin-ui.ts';
import { type BrowserSession, openBrowser, screenshotSteps } from './support/browser.ts';
import { ensureAdminBuilt } from './support/build-admin.ts';

// The import wizard in Chromium: a customer file with error rows is refused with the rows and
// reasons on screen and in the downloaded error report; the fixed file applies, and importing it
// again finds every row unchanged.

type Platform = Awaited<ReturnType<typeof startTestPlatform>>;

const HEADERS = ['用户编号', '用户名称', '所属区域', '联系电话'];
type Row = [string, string, string, string];

async function writeXlsx(path: string, rows: Row[]): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('customers');
  ws.addRow(HEADERS);
  for (const r of rows) ws.addRow(r);
  await wb.xlsx.writeFile(path);
}

async function readXlsx(path: string): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  const out: string[][] = [];
  wb.worksheets[0].eachRow((row) => {
    out.push(Array.from((row.values as unknown[]).slice(1), (v) => (v === null || v === undefined ? '' : String(v))));
  });
  return out;
}

/** The import shown in the wizard once it reaches `status`; fails on any other final state. */
async function waitForStatus(page: Page, status: string): Promise<void> {
  await expect
    .poll(() => page.locator(sel('import-job')).getAttribute('data-status'), { timeout: 60_000 })
    .toBe(status);
}

async function count(page: Page, key: string): Promise<number> {
  return Number(await page.locator(sel(`import-count-${key}`)).getAttribute('data-value'));
}

async function upload(page: Page, path: string): Promise<void> {
  await page.locator(`${sel('import-upload')} input[type=file]`).setInputFiles(path);
  await page.locator(sel('import-job')).waitFor();
}

describe('import wizard in Chromium', () => {
  let platform: Platform;
  let b: BrowserSession;
  let dir: string;
  const { step, close } = screenshotSteps(() => b);
  const tag = randomBytes(3).toString('hex').toUpperCase();
  const num = (i: number) => `IMP${tag}${String(i).padStart(3, '0')}`;
  const good = (i: number): Row => [num(i), `导入住户${i}`, '1号楼', `1380000${String(i).padStart(4, '0')}`];

  beforeAll(async () => {
    ensureAdminBuilt();
    platform = await startTestPlatform();
    b = await openBrowser(platform.baseUrl);
    dir = await mkdtemp(join(tmpdir(), 'qm-import-e2e-'));
  });

  afterAll(async () => {
    await close();
    await platform?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });


  it('refuses a file with error rows, reports them on screen and in the error report, then imports the fixed file', async () => {
    const { page } = b;
    const bad: Row[] = [
      good(1),
      [num(2), '导入住户2', '不存在的楼', '13800000002'], // row 3: unknown area
      good(3),
      [num(4), '导入住户4', '1号楼', 'not-a-phone'], // row 5: bad phone
      [num(1), '重复住户', '1号楼', '13800000005'], // row 6: number repeats row 2
      good(6),
    ];
    const fixed: Row[] = [1, 2, 3, 4, 5, 6].map(good);
    const badPath = join(dir, `customers-bad-${tag}.xlsx`);
    const fixedPath = join(dir, `customers-fixed-${tag}.xlsx`);
    await writeXlsx(badPath, bad);
    await writeXlsx(fixedPath, fixed);

    await step('import-template', async () => {
      await login(page, platform.demo.tenant, platform.demo.username, platform.demo.password);
      await openMenu(page, 'imports', 'imports-page');
      await page.locator(sel('import-entity-customers')).click();
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator(sel('import-template')).click()]);
      const path = join(dir, 'template.xlsx');
      await download.saveAs(path);
      const [headers] = await readXlsx(path);
      expect(headers.slice(0, 2)).toEqual(['用户编号*', '用户名称*']);
      expect(headers).toContain('所属区域*');
    });

    let badId = '';
    await step('import-errors', async () => {
      await upload(page, badPath);
      await waitForStatus(page, 'validated');
      badId = (await page.locator(sel('import-job')).getAttribute('data-id')) ?? '';
      expect([await count(page, 'total'), await count(page, 'errors'), await count(page, 'created')]).toEqual([6, 3, 3]);
      const rows = await page.locator(sel('import-error-row')).evaluateAll((els) => els.map((e) => e.getAttribute('data-row')));
      expect(rows).toEqual(['3', '5', '6']);
      const codes = await page
        .locator(sel('import-error-reason'))
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-code')));
      expect(codes).toEqual(['unknown_area', 'phone', 'duplicate_in_file']);
      const reasons = await page.locator(sel('import-error-reason')).allInnerTexts();
      expect(reasons).toEqual(['所属区域: 区域不存在', '联系电话: 不是有效的电话号码', '用户编号: 与第 2 行重复']);
      expect(await page.locator(sel('import-apply')).isDisabled()).toBe(true);
      await page.locator(sel('import-blocked')).waitFor();
    });

    await step('import-error-report', async () => {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.locator(sel('import-error-report')).click(),
      ]);
      const path = join(dir, 'errors.xlsx');
      await download.saveAs(path);
      const sheet = await readXlsx(path);
      expect(sheet[0]).toEqual(['行号', ...HEADERS, '错误原因']);
      expect(sheet.slice(1).map((r) => r.slice(0, 5))).toEqual([
        ['3', ...bad[1]],
        ['5', ...bad[3]],
        ['6', ...bad[4]],
      ]);
      const why = sheet.slice(1).map((r) => r[5]);
      expect(why[0]).toMatch(/^所属区域: no area named 不存在的楼/);
      expect(why[1]).toMatch(/^联系电话: is not a phone number/);
      expect(why[2]).toMatch(/^用户编号: duplicates row 2/);
    });

    await step('import-reopen', async () => {
      // closing the page does not lose the import: the recent list reopens it
      await page.goto('/imports');
      await page.locator(sel('import-start')).waitFor();
      await page.locator(`${sel('import-recent-row')}[data-id="${badId}"]`).waitFor();
      const row = page.locator('.el-table__row', { has: page.locator(`${sel('import-recent-row')}[data-id="${badId}"]`) });
      await row.locator(sel('import-reopen')).click();
      await waitForStatus(page, 'validated');
      expect(await page.locator(sel('import-job')).getAttribute('data-id')).toBe(badId);
      expect(await count(page, 'errors')).toBe(3);
      await page.reload();
      await waitForStatus(page, 'validated');
      expect(await page.locator(sel('import-job')).getAttribute('data-id')).toBe(badId);
    });

    await step('import-apply', async () => {
      await page.locator(sel('import-again')).click();
      await page.locator(sel('import-start')).waitFor();
      await upload(page, fixedPath);
      await waitForStatus(page, 'validated');
      expect([await count(page, 'total'), await count(page, 'created'), await count(page, 'errors')]).toEqual([6, 6, 0]);
      expect(await page.locator(sel('import-error-report')).count()).toBe(0);
      await page.locator(sel('import-apply')).click();
      await waitForStatus(page, 'applied');
      await page.locator(sel('import-result')).waitFor();

      const res = await page.request.get(`/api/v1/customers?number=IMP${tag}&limit=50`);
      expect(res.status()).toBe(200);
      const items = ((await res.json()) as { items: { number: string; name: string; areaPath: string[] }[] }).items;
      expect(items.map((c) => [c.number, c.name]).sort()).toEqual(fixed.map((r) => [r[0], r[1]]).sort());
    });

    await step('import-unchanged', async () => {
      await page.locator(sel('import-again')).click();
      await upload(page, fixedPath);
      await waitForStatus(page, 'validated');
      expect([
        await count(page, 'total'),
        await count(page, 'unchanged'),
        await count(page, 'created'),
        await count(page, 'updated'),
        await count(page, 'errors'),
      ]).toEqual([6, 6, 0, 0, 0]);
      await page.locator(sel('import-nothing')).waitFor();
      expect(await page.locator(sel('import-apply')).isDisabled()).toBe(true);
    });
  });
});
