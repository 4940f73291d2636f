import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAreas } from '../../core/server/src/http/tests/archive-fixtures.ts';
import { type StatsWorld, statsWorld } from '../../core/server/src/http/tests/stats-fixtures.ts';
import { login, sel } from './support/admin-ui.ts';
import { type BrowserSession, openBrowser, screenshotSteps } from './support/browser.ts';
import { ensureAdminBuilt } from './support/build-admin.ts';

// 统计分析 in Chromium over the stats fixture (two power meters in 1号楼 = area A, one a sub-meter of
// the other, two in 3号楼 = area B; planted usage in 2024-10, 2025-09 and 2025-10; two accounts in
// arrears as of 2026-11-15; one prepaid account cut_pending; a real reading task today): each tab
// shows the numbers the rollups hold.
describe('the statistics pages in Chromium', () => {
  let w: StatsWorld;
  let b: BrowserSession;
  let parkA: string;
  let parkB: string;
  const { step, close } = screenshotSteps(() => b);

  beforeAll(async () => {
    ensureAdminBuilt();
    w = await statsWorld();
    const areas = await demoAreas(w.admin);
    const byId = Object.fromEntries(Object.values(areas).map((a) => [a.id, a.name]));
    parkA = byId[areas['1号楼'].path[1]];
    parkB = byId[areas['3号楼'].path[1]];
    b = await openBrowser(w.p.baseUrl);
  }, 120_000);

  afterAll(async () => {
    await close();
    await w?.p.stop();
  });

  /** The cell texts of each row of the table marked `name`, once it has `count` rows. */
  async function rows(page: Page, name: string, count: number): Promise<string[][]> {
    const row = page.locator(`${sel(name)} .el-table__body-wrapper .el-table__row`);
    await expect.poll(() => row.count(), { timeout: 30_000 }).toBe(count);
    const out: string[][] = [];
    for (let i = 0; i < count; i++) {
      out.push((await row.nth(i).locator('td').allInnerTexts()).map((s) => s.trim()));
    }
    return out;
  }

  it('shows consumption with MoM/YoY, meter balance, reading success and arrears from the rollups', async () => {
    const { page } = b;
    await login(page, w.p.demo.tenant, w.p.demo.username, w.p.demo.password);
    await step('statistics-consumption', async () => {
      await page.goto(`/statistics?tab=consumption&from=2025-10-01&to=2025-10-31&areaId=${w.root}`);
      await page.locator(sel('stats-consumption')).waitFor();
      await page.locator(sel('grain-month')).click();
      await page.locator(sel('group-area')).click();
      const got = await rows(page, 'consumption-table', 2);
      const byPark = Object.fromEntries(got.map((r) => [r[0], r.slice(1)]));
      // group, kind, bucket, usage, previous, MoM, last year, YoY
      expect(byPark[parkA]).toEqual(['meter-power', '2025-10-01', '130', '40', '225.0%', '80', '62.5%']);
      expect(byPark[parkB]).toEqual(['meter-power', '2025-10-01', '7', '', '—', '', '—']);
      const chart = page.locator(`${sel('stats-consumption')} ${sel('trend-chart')}`);
      expect(await chart.getAttribute('data-series')).toBe('2');
      const [file] = await Promise.all([page.waitForEvent('download'), page.click(sel('stats-export'))]);
      expect(file.suggestedFilename()).toMatch(/^consumption-\d{8}-\d{4}\.csv$/);
      const csv = (await readFile((await file.path())!, 'utf8')).replace(/^\uFEFF/, '').trim().split('\r\n');
      expect(csv).toHaveLength(3); // the header and the two parks
      expect(csv).toContain(`${parkA},meter-power,2025-10-01,130,40,225.0%,80,62.5%`);
    });
    await step('statistics-balance', async () => {
      await page.goto('/statistics?tab=balance&month=2025-10');
      await page.locator(sel('stats-balance')).waitFor();
      const meters = await rows(page, 'balance-meters', 1);
      // master, area, sub-meters, master usage, sub usage, loss, loss rate
      expect(meters[0].slice(1)).toEqual(['1号楼', '1', '100', '30', '70', '70.0%']);
      const trend = await rows(page, 'balance-trend', 12);
      expect(trend.at(-1)).toEqual(['2025-10', '100', '30', '70', '70.0%']);
      expect(trend.at(-2)).toEqual(['2025-09', '40', '0', '40', '100.0%']);
      expect(await page.locator(`${sel('stats-balance')} ${sel('trend-chart')}`).getAttribute('data-days')).toBe('12');
    });
    await step('statistics-reading', async () => {
      const day = (await w.admin.get('/api/v1/stats/overview')).body.day as string;
      await page.goto(`/statistics?tab=reading&from=${day}&to=${day}`);
      await page.locator(sel('stats-reading')).waitFor();
      await page.locator(sel('reading-line')).click();
      expect((await rows(page, 'reading-table', 2)).map((r) => r.slice(1))).toEqual([
        ['2', '2', '100.0%'],
        ['2', '2', '100.0%'],
      ]);
      expect(await page.locator(sel('reading-attempted')).innerText()).toBe('4');
      expect(await page.locator(sel('reading-rate')).innerText()).toBe('100.0%');
      expect(await page.locator(sel('reading-online')).innerText()).toBe('4 / 4');
      expect(await page.locator(sel('reading-online-rate')).innerText()).toBe('100.0%');
    });
    await step('statistics-billing', async () => {
      await page.goto('/statistics?tab=billing&month=2026-11');
      await page.locator(sel('stats-billing')).waitFor();
      expect(await page.locator(sel('arrears-accounts')).innerText()).toBe('2');
      expect(await page.locator(sel('arrears-total')).innerText()).toBe('77.00');
      expect((await rows(page, 'arrears-ageing', 4)).map((r) => r[1])).toEqual(['27.00', '50.00', '0.00', '0.00']);
      const states = Object.fromEntries((await rows(page, 'prepaid-states', 7)).map((r) => [r[0], r[1]]));
      expect(states['待断开']).toBe('1');
      expect(states['正常']).toBe('0');
    });
  });
});
