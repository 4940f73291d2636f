import { stat } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, loggedIn } from '../../core/server/test/client.ts';
import { startTestPlatform } from '../../core/server/test/platform.ts';
import { withTenant } from '../../core/server/src/db/tenant.ts';
import { allocate, postEntries } from '../../core/server/src/services/billing/ledger/index.ts';
import { login, sel } from './support/admin-ui.ts';
import { type BrowserSession, openBrowser, screenshotSteps } from './support/browser.ts';
import { ensureAdminBuilt } from './support/build-admin.ts';

// 对账单 and 计费设置 in Chromium: an account with a usage charge of 100.00, a fixed charge of 20.00
// and a payment of 50.00 (allocated: the fixed charge first, then 30.00 of the usage charge). The
// admin opens the account's statement from the customer archive and sees the running balance, the
// closing balance and the open item; downloads the xlsx; then reorders the allocation order on the
// billing settings page, changes the late fee rate and sees both saved.

type Platform = Awaited<ReturnType<typeof startTestPlatform>>;

describe('statement and billing settings in Chromium', () => {
  let platform: Platform;
  let b: BrowserSession;
  let api: Client;
  const { step, close } = screenshotSteps(() => b);
  let customerId = '';
  const year = new Date().getFullYear();

  beforeAll(async () => {
    ensureAdminBuilt();
    platform = await startTestPlatform();
    b = await openBrowser(platform.baseUrl);
    api = await loggedIn(platform.baseUrl, 'demo', 'admin', platform.demo.password);
    const areas = (await api.get('/api/v1/areas')).body.items as { id: string; name: string }[];
    const areaId = areas.find((a) => a.name === '1号楼')!.id;
    const customer = await api.post('/api/v1/customers', { name: '对账测试户', number: 'ST-C1', areaId });
    expect(customer.status, JSON.stringify(customer.body)).toBe(201);
    customerId = customer.body.id;
    const account = await api.post('/api/v1/accounts', { customerId, number: 'ST-A1' });
    expect(account.status, JSON.stringify(account.body)).toBe(201);
    const db = platform.running.platform.db;
    const [{ id: tenant }] = (await platform.running.platform.database.sql`select id from tenants where code = 'demo'`) as unknown as { id: string }[];
    await withTenant(db, tenant, async (tx) => {
      const acc = account.body.id as string;
      const on = (m: string) => `${year}-${m}-01`;
      await postEntries(tx, [
        { accountId: acc, kind: 'charge', amountFen: -10000, category: 'usage', businessKey: 'st:u', occurredOn: on('01') },
        { accountId: acc, kind: 'charge', amountFen: -2000, category: 'fixed', businessKey: 'st:f', occurredOn: on('02') },
        { accountId: acc, kind: 'payment', amountFen: 5000, businessKey: 'pay:st', occurredOn: on('03') },
      ]);
      await allocate(tx, acc);
    });
  });

  afterAll(async () => {
    await close();
    await platform?.stop();
  });


  it('shows the statement from the customer archive with running balance and open items, and exports it', async () => {
    const { page } = b;
    await step('statement-page', async () => {
      await login(page, platform.demo.tenant, platform.demo.username, platform.demo.password);
      await page.goto(`/customers/${customerId}`);
      await page.click(sel('account-statement-ST-A1'));
      await page.locator(sel('statement-entries')).waitFor();
      await expect.poll(() => page.locator(sel('statement-balance')).allTextContents()).toEqual([
        '-100.00',
        '-120.00',
        '-70.00',
      ]);
      expect((await page.locator(sel('statement-account')).textContent())?.trim()).toBe('ST-A1');
      expect((await page.locator(sel('statement-opening')).textContent())?.trim()).toBe('0.00');
      expect((await page.locator(sel('statement-closing')).textContent())?.trim()).toBe('-70.00');
      // the payment settled the fixed charge first (default order), then 30.00 of the usage charge
      expect(await page.locator(sel('open-item-open')).allTextContents()).toEqual(['70.00']);
    });
    await step('statement-export', async () => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click(sel('statement-export'))]);
      expect(download.suggestedFilename()).toMatch(/^statement-ST-A1-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.xlsx$/);
      const path = await download.path();
      expect((await stat(path)).size).toBeGreaterThan(1000);
    });
  });

  it('reorders the allocation order and saves the late fee rate on the billing settings page', async () => {
    const { page } = b;
    await step('billing-settings', async () => {
      expect(await page.locator(sel('menu-billing-settings')).count()).toBe(1);
      await page.goto('/billing/settings');
      await page.locator(sel('billing-order-usage')).waitFor();
      await page.click(sel('billing-order-up-usage'));
      await page.click(sel('billing-order-up-usage'));
      const order = () =>
        page.locator(`${sel('billing-order')} li`).evaluateAll((els) => els.map((e) => e.getAttribute('data-test')));
      expect(await order()).toEqual(['billing-order-arrears', 'billing-order-usage', 'billing-order-late_fee', 'billing-order-fixed']);
      const rate = page.locator(`${sel('billing-late-rate')} input`);
      await rate.fill('0.5');
      await rate.blur();
      await page.click(sel('billing-settings-save'));
      await expect
        .poll(async () => (await api.get('/api/v1/billing-settings')).body)
        .toMatchObject({ allocationOrder: ['arrears', 'usage', 'late_fee', 'fixed'], lateFeePerMillePerDay: 0.5 });
      await page.reload();
      await page.locator(sel('billing-order-usage')).waitFor();
      expect(await order()).toEqual(['billing-order-arrears', 'billing-order-usage', 'billing-order-late_fee', 'billing-order-fixed']);
    });
  });
});
