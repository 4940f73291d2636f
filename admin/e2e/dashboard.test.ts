import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StatsWorld, statsWorld } from '../../core/server/src/http/tests/stats-fixtures.ts';
import { login, sel } from './support/admin-ui.ts';
import { type BrowserSession, openBrowser, screenshotSteps } from './support/browser.ts';
import { ensureAdminBuilt } from './support/build-admin.ts';

// 运营看板 in Chromium: the home page of a user with reports.read shows the tiles with the numbers
// the rollups hold for the fixture (a real reading task over four meters today, two accounts in
// arrears, one prepaid account waiting to be cut) and a tile opens the list behind it.
describe('the operator dashboard in Chromium', () => {
  let w: StatsWorld;
  let b: BrowserSession;
  const { step, close } = screenshotSteps(() => b);

  beforeAll(async () => {
    ensureAdminBuilt();
    w = await statsWorld();
    b = await openBrowser(w.p.baseUrl);
  }, 120_000);

  afterAll(async () => {
    await close();
    await w?.p.stop();
  });

  it('shows today’s reading success, arrears, cuts pending and the trend; a tile drills down', async () => {
    const { page } = b;
    await step('dashboard', async () => {
      await login(page, w.p.demo.tenant, w.p.demo.username, w.p.demo.password);
      await page.goto('/');
      await page.locator(sel('dashboard')).waitFor();
      // the tiles appear once the overview has answered (a loaded machine can take a while)
      await page.locator(sel('tile-reading')).waitFor({ timeout: 45_000 });
      const value = (tile: string) => page.locator(`${sel(`tile-${tile}`)} ${sel('tile-value')}`).innerText();
      expect(await value('reading')).toBe('100.0%');
      expect(await value('exceptions')).toBe('2');
      expect(await value('arrears')).toBe('77.00');
      expect(await value('cutPending')).toBe('1');
      const chart = page.locator(sel('trend-chart'));
      await chart.waitFor();
      expect(await chart.getAttribute('data-days')).toBe('30');
      expect(await chart.getAttribute('data-series')).toBe('1');
    });
    await step('dashboard-drill', async () => {
      await page.locator(sel('tile-cutPending')).click();
      await page.waitForURL(/\/prepaid\/board\?state=cut_pending/);
      await page.locator(`${sel('prepaid-list')} .el-table__row`).first().waitFor();
      expect(await page.locator(`${sel('prepaid-list')} .el-table__row`).count()).toBe(1);
    });
  });
});
