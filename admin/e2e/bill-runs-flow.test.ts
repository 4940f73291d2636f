import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, loggedIn } from '../../core/server/test/client.ts';
import { startTestPlatform } from '../../core/server/test/platform.ts';
import { withTenant } from '../../core/server/src/db/tenant.ts';
import { seedAccounts, seedPlan } from '../../core/server/src/services/billing/runs/fixtures.ts';
import { login, openMenu, sel, switchLanguage } from './support/admin-ui.ts';
import { type BrowserSession, openBrowser, screenshotSteps } from './support/browser.ts';
import { ensureAdminBuilt } from './support/build-admin.ts';

// The bill run console in Chromium: an October run for the whole tenant is started from the
// form, its row follows the run to 已完成 with the counts, and the account without a tariff plan is
// listed with its reason; the run and the bills are checked through the API and the database.

type Platform = Awaited<ReturnType<typeof startTestPlatform>>;

describe('bill run console in Chromium', () => {
  let platform: Platform;
  let b: BrowserSession;
  let api: Client;
  const { step, close } = screenshotSteps(() => b);
  let tenantId = '';

  beforeAll(async () => {
    ensureAdminBuilt();
    platform = await startTestPlatform();
    b = await openBrowser(platform.baseUrl);
    api = await loggedIn(platform.baseUrl, 'demo', 'admin', platform.demo.password);
    tenantId = (await api.get('/api/v1/auth/me')).body.tenant.id;
    const areas: { id: string; name: string }[] = (await api.get('/api/v1/areas')).body.items;
    const areaId = areas.find((a) => a.name === '1号楼')!.id;
    await withTenant(platform.running.platform.db, tenantId, async (tx) => {
      await seedPlan(tx);
      await seedAccounts(tx, { tag: 'ui', n: 3, areaId, from: '2026-10-01', days: 31, noPlanEvery: 3 });
    });
  });

  afterAll(async () => {
    await close();
    await platform?.stop();
  });


  it('starts a run, follows it to done and shows the account it could not bill', async () => {
    const { page } = b;
    let runId = '';
    await step('open', async () => {
      await login(page, platform.demo.tenant, platform.demo.username, platform.demo.password);
      await openMenu(page, 'bill-runs', 'bill-runs-page');
    });

    await step('start', async () => {
      const month = page.locator(`${sel('bill-run-month')} input`);
      await month.fill('2026-10');
      await month.press('Enter');
      await page.click(sel('bill-run-start'));
      await page.locator(sel('bill-run-row')).first().waitFor();
      runId = (await page.locator(sel('bill-run-row')).first().getAttribute('data-id')) ?? '';
      expect(runId).toMatch(/^[0-9a-f-]{36}$/);
    });

    await step('done', async () => {
      const status = page.locator(`${sel('bill-run-status')}[data-id="${runId}"]`);
      await expect.poll(() => status.textContent(), { timeout: 30_000 }).toBe('已完成');
      expect(await page.locator(`${sel('bill-run-progress')}[data-id="${runId}"]`).textContent()).toContain(
        '已出账 2 / 3，待审核 0，失败 1',
      );
      await page.locator(`${sel('bill-run-failure')}[data-account="ui-A0000003"]`, {
        hasText: '账户未指定该类表计（meter-power）的价格方案',
      }).waitFor();
      const run = (await api.get(`/api/v1/bill-runs/${runId}`)).body;
      expect(run.run).toMatchObject({ periodFrom: '2026-10-01', periodTo: '2026-11-01', areaId: null, status: 'done' });
      const [bills] = (await withTenant(platform.running.platform.db, tenantId, (tx) =>
        tx.execute(sql`select count(*)::int as n from bills where run_id = ${runId} and status = 'issued'`),
      )) as unknown as { n: number }[];
      expect(bills.n).toBe(2);
    });

    await step('english', async () => {
      await switchLanguage(page, 'en');
      await page.locator(`${sel('bill-run-status')}[data-id="${runId}"]`, { hasText: 'Done' }).waitFor();
      await page.locator(`${sel('bill-run-progress')}[data-id="${runId}"]`, { hasText: 'Billed 2 / 3, held 0, failed 1' }).waitFor();
      await switchLanguage(page, 'zh-CN');
    });
  });
});
