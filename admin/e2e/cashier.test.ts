import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../../core/server/src/db/tenant.ts';
import { type Client, loggedIn } from '../../core/server/test/client.ts';
import { startTestPlatform } from '../../core/server/test/platform.ts';
import { login, logout, openMenu, sel, switchLanguage } from './support/admin-ui.ts';
import { type BrowserSession, openBrowser, screenshotSteps } from './support/browser.ts';
import { ensureAdminBuilt } from './support/build-admin.ts';

// The cashier's counter in Chromium, from the keyboard only once the shift is open: the search box
// has the focus, Enter searches, ↓ picks the second account, Enter takes it to the amount (filled
// with what it owes), Enter moves to tendered, Enter takes the payment; the change shows big; F8
// opens the receipt (大写 amount) and gives the focus back to the search box. Then the payments list
// asks for its reversal and a second person approves it on the approvals page. Checked via the API.

type Platform = Awaited<ReturnType<typeof startTestPlatform>>;

describe('cashier’s counter in Chromium', () => {
  let platform: Platform;
  let b: BrowserSession;
  let api: Client;
  const { step, close } = screenshotSteps(() => b);
  const accounts: Record<string, string> = {};

  beforeAll(async () => {
    ensureAdminBuilt();
    platform = await startTestPlatform();
    b = await openBrowser(platform.baseUrl);
    api = await loggedIn(platform.baseUrl, 'demo', 'admin', platform.demo.password);
    const tenantId: string = (await api.get('/api/v1/auth/me')).body.tenant.id;
    const areas: { id: string; name: string }[] = (await api.get('/api/v1/areas')).body.items;
    const areaId = areas.find((a) => a.name === '1号楼')!.id;
    for (const n of ['1', '2']) {
      const c = await api.post('/api/v1/customers', { name: `键盘户${n}`, number: `KB-00${n}`, areaId });
      expect(c.status).toBe(201);
      const a = await api.post('/api/v1/accounts', { customerId: c.body.id, number: `PA-KB${n}` });
      expect(a.status).toBe(201);
      accounts[n] = a.body.id;
    }
    // what a bill would have charged: account 2 owes 88.50 元
    await withTenant(platform.running.platform.db, tenantId, (tx) =>
      tx.execute(sql`insert into ledger_entries (tenant_id, account_id, kind, amount_fen, category, business_key, occurred_on)
        values (app_tenant_id(), ${accounts['2']}, 'charge', -8850, 'usage', 'e2e:charge', current_date)`),
    );
  });

  afterAll(async () => {
    await close();
    await platform?.stop();
  });

  const focusIn = (name: string) =>
    b.page.evaluate((s) => document.activeElement?.closest(s) !== null && document.activeElement !== null, sel(name));

  it('takes a payment from the keyboard and prints its receipt', async () => {
    const { page } = b;

    await step('open shift', async () => {
      await login(page, platform.demo.tenant, platform.demo.username, platform.demo.password);
      await openMenu(page, 'counter', 'counter-page');
      await page.locator(sel('shift-none')).waitFor();
      await page.fill(sel('shift-float'), '100');
      await page.click(sel('shift-open-button'));
      await page.locator(sel('shift-open')).waitFor();
      await expect.poll(() => focusIn('counter-search')).toBe(true);
    });

    await step('search and pick', async () => {
      await page.keyboard.type('KB-00');
      await page.keyboard.press('Enter');
      const rows = page.locator(sel('counter-result'));
      await expect.poll(() => rows.count()).toBe(2);
      expect(await rows.nth(0).getAttribute('data-account')).toBe('PA-KB1');
      await page.keyboard.press('ArrowDown');
      expect(await page.locator(`${sel('counter-result')}[data-active="true"]`).getAttribute('data-account')).toBe('PA-KB2');
      await page.keyboard.press('Enter');
      await page.locator(sel('counter-chosen'), { hasText: 'PA-KB2' }).waitFor();
      await expect.poll(() => focusIn('counter-amount')).toBe(true);
      expect(await page.inputValue(sel('counter-amount'))).toBe('88.50');
    });

    await step('take payment', async () => {
      await page.keyboard.press('Enter');
      await expect.poll(() => focusIn('counter-tendered')).toBe(true);
      await page.keyboard.type('100');
      await page.keyboard.press('Enter');
      await page.locator(sel('counter-change'), { hasText: '¥11.50' }).waitFor();
      const list = (await api.get(`/api/v1/payments?accountId=${accounts['2']}`)).body.items;
      expect(list).toEqual([
        expect.objectContaining({ method: 'cash', amountFen: '8850', tenderedFen: '10000', changeFen: '1150', status: 'posted' }),
      ]);
      const shift = (await api.get('/api/v1/cashier-shifts/current')).body.shift;
      expect(shift.totals.expectedCashFen).toBe('18850');
    });

    await step('print receipt', async () => {
      const [popup] = await Promise.all([page.waitForEvent('popup'), page.keyboard.press('F8')]);
      await popup.waitForLoadState('domcontentloaded');
      const text = await popup.locator('body').innerText();
      expect(text).toContain('人民币捌拾捌元伍角整');
      expect(text).toContain('¥88.50');
      await popup.close();
      await expect.poll(() => focusIn('counter-search')).toBe(true);
      expect(await page.inputValue(sel('counter-search'))).toBe('');
    });

    await step('english', async () => {
      await switchLanguage(page, 'en');
      await page.locator(sel('counter-submit'), { hasText: 'Take payment (Enter)' }).waitFor();
      await switchLanguage(page, 'zh-CN');
      await page.locator(sel('counter-submit'), { hasText: '收费（回车）' }).waitFor();
    });

    const payment = (await api.get(`/api/v1/payments?accountId=${accounts['2']}`)).body.items[0];
    await step('request reversal', async () => {
      await openMenu(page, 'payments', 'payments-page');
      await page.click(sel(`payment-reverse-${payment.id}`));
      await page.fill('.el-message-box__input input', '收错户');
      await page.locator('.el-message-box__btns .el-button--primary:visible').click();
      await expect
        .poll(async () => (await api.get(`/api/v1/payments/${payment.id}`)).body.status, { timeout: 15_000 })
        .toBe('reversal_requested');
    });

    await step('second person approves', async () => {
      const role = await api.post('/api/v1/roles', { name: '冲正审批', permissions: ['payments.read', 'payments.reverse.approve'] });
      expect(role.status).toBe(201);
      const user = await api.post('/api/v1/users', {
        username: 'checker',
        displayName: '复核员',
        password: 'checker-password-1',
        roleIds: [role.body.id],
        areaIds: [],
      });
      expect(user.status).toBe(201);
      await logout(page);
      await login(page, platform.demo.tenant, 'checker', 'checker-password-1');
      await openMenu(page, 'payment-reversals', 'reversals-page');
      await page.click(sel(`reversal-approve-${payment.id}`));
      await expect
        .poll(async () => (await api.get(`/api/v1/payments/${payment.id}`)).body.status, { timeout: 15_000 })
        .toBe('reversed');
      const [reversal] = (await api.get('/api/v1/payment-reversals?status=approved')).body.items;
      expect(reversal).toMatchObject({ paymentId: payment.id, reason: '收错户', approvedByName: '复核员' });
    });
  });
});
