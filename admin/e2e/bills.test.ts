import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, loggedIn } from '../../core/server/test/client.ts';
import { startTestPlatform } from '../../core/server/test/platform.ts';
import { demoAreas, inDemo } from '../../core/server/src/http/tests/archive-fixtures.ts';
import { fixtureBill, fixtureIssue } from '../../core/server/src/services/billing/bills/bill-fixtures.ts';
import { dialog, login, logout, openMenu, sel } from './support/admin-ui.ts';
import { field } from './support/archives-ui.ts';
import { type BrowserSession, openBrowser, screenshotSteps } from './support/browser.ts';
import { ensureAdminBuilt } from './support/build-admin.ts';
import { chromeText, rawKeys, strayWords } from './support/language-check.ts';

// Bills in Chromium: an issued bill whose first line is explained (readings with their sources,
// tariff plan and version, price × quantity = amount); an adjustment and a cancellation from its
// page; a held bill approved from the review queue. The bills are written directly (the bill-run
// engine is another part).

type Platform = Awaited<ReturnType<typeof startTestPlatform>>;
const poll = <T>(fn: () => Promise<T> | T, timeout = 20_000) => expect.poll(fn, { timeout, interval: 250 });

describe('bills in Chromium', () => {
  let platform: Platform;
  let b: BrowserSession;
  let api: Client;
  const { step, close } = screenshotSteps(() => b);
  let issued = '';
  let held = '';

  beforeAll(async () => {
    ensureAdminBuilt();
    platform = await startTestPlatform();
    b = await openBrowser(platform.baseUrl);
    api = await loggedIn(platform.baseUrl, 'demo', 'admin', platform.demo.password);
    const area = (await demoAreas(api))['1号楼'].id;
    await inDemo(platform, async (tx) => {
      const [plan] = await tx.execute<{ id: string }>(sql`insert into tariff_plans (tenant_id, code, kind, name)
        values (app_tenant_id(), 'BJ-RES-E', 'meter-power', '北京居民电价') returning id::text as id`);
      const [v] = await tx.execute<{ id: string }>(sql`insert into tariff_versions (tenant_id, plan_id, version,
        effective_from, body) values (app_tenant_id(), ${plan.id}, 3, '2026-01-01', '{}') returning id::text as id`);
      const readings = [
        { ts: '2026-10-01T00:00:00Z', value: '1000.00', kind: 2 },
        { ts: '2026-11-01T00:00:00Z', value: '1400.00', kind: 5 },
      ];
      const one = await fixtureBill(tx, area, 'E1', [
        { category: 'usage', fen: 11_719, tier: 1, quantity: '240', price: '0.4883', tariffVersionId: v.id, readings },
        { category: 'usage', fen: 8_613, tier: 2, quantity: '160', price: '0.5383', tariffVersionId: v.id, readings },
      ]);
      await fixtureIssue(tx, one.bill, '2026-11-15');
      issued = one.bill;
      held = (await fixtureBill(tx, area, 'E2', [{ category: 'usage', fen: 3_000 }], { holdReasons: ['estimated'] }))
        .bill;
    });
  });

  afterAll(async () => {
    await close();
    await platform?.stop();
  });


  it('lists bills and explains a line: readings and sources, tariff version, price × quantity', async () => {
    const { page } = b;
    await step('bills-list', async () => {
      await login(page, platform.demo.tenant, platform.demo.username, platform.demo.password);
      await openMenu(page, 'bills', 'bills-page');
      await poll(() => page.locator(sel('bill-row')).count()).toBe(2);
      await page.click(sel('bill-filter-held'));
      await poll(() => page.locator(sel('bill-row')).count()).toBe(1);
      expect(await page.locator(sel('bill-row')).getAttribute('data-id')).toBe(held);
      await page.click(sel('bill-filter-held'));
      await poll(() => page.locator(sel('bill-row')).count()).toBe(2);
      const [file] = await Promise.all([page.waitForEvent('download'), page.click(sel('bill-export'))]);
      expect(file.suggestedFilename()).toBe('bills.xlsx');
    });
    await step('bill-why', async () => {
      await page.click(`${sel('bill-row')}[data-id="${issued}"]`);
      await page.locator(sel('bill-detail-page')).waitFor();
      expect(await page.locator(sel('bill-detail-total')).textContent()).toBe('203.32');
      await page.click(sel('bill-why-1'));
      const why = page.locator(`${sel('bill-why')}:visible`);
      await why.waitFor();
      expect(await why.locator(sel('bill-why-formula')).textContent()).toBe('0.4883 × 240 = 117.19 元');
      expect(await why.locator(sel('bill-why-tariff')).textContent()).toBe('BJ-RES-E 第 3 版');
      const sources = await why.locator(sel('bill-why-source')).evaluateAll((els) =>
        els.map((e) => [e.getAttribute('data-source'), e.textContent?.trim()]),
      );
      expect(sources).toEqual([
        ['daily-freeze', '日冻结'],
        ['estimate', '估抄'],
      ]);
      await page.keyboard.press('Escape');
    });
  });

  it('adjusts and cancels the issued bill from its page', async () => {
    const { page } = b;
    await step('bill-adjust', async () => {
      await page.click(sel('bill-adjust'));
      const dlg = dialog(page, 'bill-adjust-dialog');
      await dlg.locator(field('bill-adjust-amount')).fill('10.5');
      await dlg.locator(`textarea${sel('bill-adjust-reason')}, ${sel('bill-adjust-reason')} textarea`).fill('补差');
      await dlg.locator(sel('bill-adjust-submit')).click();
      await page.locator(`${sel('bill-entry')}[data-kind="adjustment"]`).waitFor();
      expect(await page.locator(`${sel('bill-entry')}[data-kind="adjustment"]`).getAttribute('data-fen')).toBe('-1050');
      expect(await page.locator(sel('bill-principal')).textContent()).toBe('213.82');
    });
    await step('bill-cancel', async () => {
      await page.click(sel('bill-cancel'));
      const dlg = dialog(page, 'bill-reason-dialog');
      // the reason is required: nothing happens without it
      await dlg.locator(sel('bill-reason-submit')).click();
      expect((await api.get(`/api/v1/bills/${issued}`)).body.bill.status).toBe('issued');
      await dlg.locator(`textarea${sel('bill-reason')}, ${sel('bill-reason')} textarea`).fill('抄表错误');
      await dlg.locator(sel('bill-reason-submit')).click();
      await poll(() => page.locator(sel('bill-status')).getAttribute('data-status')).toBe('cancelled');
      await poll(() => page.locator(`${sel('bill-entry')}[data-kind="reversal"]`).count()).toBe(2);
    });
    const d = (await api.get(`/api/v1/bills/${issued}`)).body;
    expect(d.bill).toMatchObject({ status: 'cancelled', cancelReason: '抄表错误' });
    expect(d.due.principalFen).toBe(0);
  });

  it('approves a held bill from the review queue', async () => {
    const { page } = b;
    await step('bill-review', async () => {
      await openMenu(page, 'bill-review', 'bill-review-page');
      const row = page.locator(`${sel('bill-row')}[data-id="${held}"]`);
      await row.waitFor();
      expect(await page.locator(`${sel('bill-review-page')} .reason`).first().textContent()).toBe('估抄读数');
      await page.locator(`${sel('bill-review-page')} .el-table__header .el-checkbox`).click();
      await page.click(sel('bill-approve-selected'));
      await poll(() => row.count()).toBe(0);
    });
    expect((await api.get(`/api/v1/bills/${held}`)).body.bill.status).toBe('issued');
  });

  for (const locale of ['zh-CN', 'en'] as const)
    it(`${locale}: the billing pages and dialogs speak one language`, async () => {
      const { page } = b;
      const check = async (label: string) => {
        await page.locator('.el-loading-mask:visible').waitFor({ state: 'detached' }).catch(() => {});
        const chrome = await chromeText(page);
        expect(chrome.length, `${locale} ${label}: interface text found`).toBeGreaterThan(20);
        expect(rawKeys(await page.locator('body').innerText()), `${locale} ${label}: raw keys`).toEqual([]);
        expect(strayWords(locale, chrome), `${locale} ${label}: other language`).toEqual([]);
      };
      const openDialog = async (trigger: string, name: string) => {
        await page.click(sel(trigger));
        await page.locator(`${sel(name)}:visible`).waitFor();
        await check(name);
        await page.keyboard.press('Escape');
        await page.locator(`${sel(name)}:visible`).waitFor({ state: 'hidden' });
      };
      await step(`bills-language-${locale}`, async () => {
        await b.context.clearCookies();
        await page.goto('/login');
        await page.evaluate((l) => localStorage.setItem('quadmeter.locale', l), locale);
        await login(page, platform.demo.tenant, platform.demo.username, platform.demo.password);
        await page.goto('/billing/bills');
        await page.locator(sel('bill-row')).first().waitFor();
        await check('bills');
        await page.goto('/billing/review');
        await page.locator(sel('bill-review-page')).waitFor();
        await check('review');
        await page.goto(`/billing/bills/${issued}`);
        await page.locator(sel('bill-lines')).waitFor();
        await check('bill-cancelled');
        await page.click(sel('bill-why-1'));
        await page.locator(`${sel('bill-why')}:visible`).waitFor();
        await check('bill-why');
        await page.keyboard.press('Escape');
        await page.goto(`/billing/bills/${held}`);
        await page.locator(sel('bill-adjust')).waitFor();
        await check('bill-issued');
        await openDialog('bill-adjust', 'bill-adjust-dialog');
        await openDialog('bill-cancel', 'bill-reason-dialog');
        await logout(page);
      });
    });
});
