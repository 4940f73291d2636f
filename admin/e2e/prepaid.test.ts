import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, loggedIn } from '../../core/server/test/client.ts';
import { startTestPlatform } from '../../core/server/test/platform.ts';
import { withTenant } from '../../core/server/src/db/tenant.ts';
import { postEntries } from '../../core/server/src/services/billing/ledger/index.ts';
import { login, sel } from './support/admin-ui.ts';
import { type BrowserSession, openBrowser, screenshotSteps } from './support/browser.ts';
import { ensureAdminBuilt } from './support/build-admin.ts';

// 预付费 in Chromium: a prepaid account topped up to 25.00 falls under the built-in alarm 1 (30.00)
// as the worker evaluates the posting; the admin finds it on the status board, drills down to the
// list, opens its panel and switches keep-power on; then saves the tenant policy and a holiday, and
// runs the deduction of a day from 扣费记录.

type Platform = Awaited<ReturnType<typeof startTestPlatform>>;

describe('prepaid pages in Chromium', () => {
  let platform: Platform;
  let b: BrowserSession;
  let api: Client;
  const { step, close } = screenshotSteps(() => b);
  let accountId = '';

  beforeAll(async () => {
    ensureAdminBuilt();
    platform = await startTestPlatform();
    b = await openBrowser(platform.baseUrl);
    api = await loggedIn(platform.baseUrl, 'demo', 'admin', platform.demo.password);
    const areas = (await api.get('/api/v1/areas')).body.items as { id: string; name: string }[];
    const areaId = areas.find((a) => a.name === '1号楼')!.id;
    const customer = await api.post('/api/v1/customers', { name: '预付测试户', number: 'PP-C1', areaId });
    expect(customer.status, JSON.stringify(customer.body)).toBe(201);
    const account = await api.post('/api/v1/accounts', {
      customerId: customer.body.id,
      number: 'PP-A1',
      billingMode: 'prepaid',
      billingModeFrom: '2020-01-01',
    });
    expect(account.status, JSON.stringify(account.body)).toBe(201);
    accountId = account.body.id;
    const [{ id: tenant }] = (await platform.running.platform.database
      .sql`select id from tenants where code = 'demo'`) as unknown as { id: string }[];
    await withTenant(platform.running.platform.db, tenant, (tx) =>
      postEntries(tx, [{ accountId, kind: 'topup', amountFen: 2500, businessKey: 'pp:e2e', occurredOn: '2026-12-01' }]),
    );
    // the worker evaluates the posting (woken by the ledger trigger's NOTIFY)
    for (let i = 0; i < 150; i++) {
      if ((await api.get(`/api/v1/prepaid/accounts/${accountId}`)).body.state === 'alarm1') break;
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  afterAll(async () => {
    await close();
    await platform?.stop();
  });


  it('board → list → panel, and keep-power switched on from the panel', async () => {
    const { page } = b;
    await step('prepaid-board', async () => {
      await login(page, platform.demo.tenant, platform.demo.username, platform.demo.password);
      await page.goto('/prepaid/board');
      await page.locator(sel('prepaid-board-alarm1')).first().click();
      await page.locator(`${sel('prepaid-list')} .el-table__row`).first().waitFor();
      expect(await page.locator(`${sel('prepaid-list')} .el-table__row`).count()).toBe(1);
      await page.locator(`${sel('prepaid-list')} .el-table__row`).first().click();
    });
    await step('prepaid-panel', async () => {
      await page.locator(sel('prepaid-panel')).waitFor();
      expect((await page.locator(sel('prepaid-state')).textContent())?.trim()).toBe('一级报警');
      await page.click(sel('prepaid-keep-power'));
      await expect
        .poll(async () => (await api.get(`/api/v1/prepaid/accounts/${accountId}`)).body.keepPower)
        .toBe(true);
      await expect.poll(() => page.locator(`${sel('prepaid-events')} .el-table__row`).count()).toBeGreaterThan(1);
    });
  });

  it('saves the tenant policy and a holiday', async () => {
    const { page } = b;
    await step('prepaid-policy', async () => {
      await page.goto('/prepaid/policy');
      const alarm1 = page.locator(`${sel('prepaid-policy-alarm1Fen')} input`).first();
      await alarm1.waitFor();
      await alarm1.fill('40');
      await alarm1.blur();
      await page.click(sel('prepaid-policy-save'));
      // (a loaded machine takes longer than expect.poll's default second to save)
      await expect
        .poll(async () => (await api.get('/api/v1/prepaid/policy')).body.stored?.alarm1Fen, { timeout: 15_000 })
        .toBe(4000);
    });
    await step('prepaid-holidays', async () => {
      await page.goto('/prepaid/holidays');
      await page.locator(sel('prepaid-holidays-add')).waitFor();
      await page.click(sel('prepaid-holidays-add'));
      await page.click(sel('prepaid-holidays-save'));
      const year = new Date().getFullYear();
      await expect
        .poll(async () => (await api.get(`/api/v1/prepaid/holidays/${year}`)).body.days, { timeout: 15_000 })
        .toEqual([{ day: `${year}-01-01`, kind: 'holiday', name: '' }]);
    });
    await step('prepaid-deductions', async () => {
      await page.goto('/prepaid/deductions');
      const input = page.locator(`${sel('prepaid-deduction-day')} input`).first();
      await input.waitFor();
      await input.fill('2026-11-20');
      await input.press('Enter');
      await page.click(sel('prepaid-deduction-run'));
      await expect
        .poll(
          async () =>
            (await api.get('/api/v1/prepaid/deduction-runs')).body.items.find(
              (r: { day: string }) => r.day === '2026-11-20',
            )?.status,
          { timeout: 20_000 },
        )
        .toBe('done');
      await page.click('text=刷新');
      await expect
        .poll(() => page.locator(`${sel('prepaid-deduction-runs')} .el-table__row`, { hasText: '2026-11-20' }).count())
        .toBe(1);
    });
  });
});
