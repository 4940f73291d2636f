import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WechatSandbox } from '@quadmeter/payment-wechat/sandbox';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../core/server/test/client.ts';
import type { TestPlatform } from '../../core/server/test/platform.ts';
import { demoAreas, inDemo } from '../../core/server/src/http/tests/archive-fixtures.ts';
import { charge, customerWithAccount, meterOf } from '../../core/server/src/http/tests/payment-fixtures.ts';
import { platformWithWechat } from '../../core/server/src/http/tests/payment-order-fixtures.ts';
import { smsCode } from '../../core/server/src/http/tests/self-fixtures.ts';
import { type OAuthSandbox, startOAuthSandbox } from '../../core/server/src/services/self/oauth-sandbox.ts';
import { type BrowserSession, openBrowser, screenshotSteps } from './support/browser.ts';
import { ensureSelfBuilt } from './support/build-self.ts';

// 自助服务 in Chromium on a phone (390×844): the official account's link signs the customer in
// through the web authorisation sandbox, they bind an account by the SMS code, see its usage
// (daily bars, monthly with last year), pay 50.00 through the WeChat Pay sandbox and see the
// balance and the receipt update as soon as the callback posts.

/** Screenshots kept as test artifacts (the repository ignores .tmp/). */
const SHOTS = fileURLToPath(new URL('../../.tmp/self-service-e2e/', import.meta.url));

describe('customer self-service in Chromium (390×844)', () => {
  let p: TestPlatform;
  let sb: WechatSandbox;
  let oauth: OAuthSandbox;
  let admin: Client;
  let b: BrowserSession;
  const { step, close } = screenshotSteps(() => b);
  const ids: Record<string, string> = {};
  const shot = (name: string) => b.page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    ensureSelfBuilt();
    await mkdir(SHOTS, { recursive: true });
    oauth = await startOAuthSandbox();
    ({ p, sb, admin } = await platformWithWechat({ QUADMETER_SELF_OAUTH: oauth.config }));
    const areas = await demoAreas(admin);
    ids.account = (await customerWithAccount(admin, areas['1单元'].id, 'SE1', '13800138000')).accountId;
    ids.meter = await meterOf(p, admin, areas['1单元'].id, ids.account, 'W-SE-0001');
    // what readings and billing leave behind: daily and monthly usage, a top-up and 10 days of charges
    await inDemo(p, async (tx) => {
      await tx.execute(sql`insert into consumption_daily (tenant_id, meter_id, day, usage, readings)
        select app_tenant_id(), ${ids.meter}, d::date, 0.3 + (extract(day from d)::int % 5) * 0.1, 24
        from generate_series(current_date - 29, current_date, interval '1 day') d`);
      await tx.execute(sql`insert into consumption_monthly (tenant_id, meter_id, month, usage, readings)
        select app_tenant_id(), ${ids.meter}, d::date, 9 + (extract(month from d)::int % 4), 700
        from generate_series(date_trunc('month', current_date) - interval '23 months', date_trunc('month', current_date),
          interval '1 month') d`);
      await tx.execute(sql`insert into ledger_entries (tenant_id, account_id, kind, amount_fen, category, business_key, occurred_on)
        values (app_tenant_id(), ${ids.account}, 'topup', 10000, 'prepaid', 'e2e:topup', current_date - 9)`);
    });
    await charge(p, ids.account, 3000); // 30.00 over the last 30 days → balance 70.00
    b = await openBrowser(p.baseUrl);
    await b.page.setViewportSize({ width: 390, height: 844 });
  }, 60_000);

  afterAll(async () => {
    await close();
    await p?.stop();
    await sb?.close();
    await oauth?.close();
  });

  it('signs in through the sandbox, binds by SMS code, sees usage, pays 50.00 and sees balance and receipt', async () => {
    const { page } = b;
    await step('self-sign-in', async () => {
      await page.goto('/my/?t=demo');
      await page.getByRole('heading', { name: '我的户号' }).waitFor();
      await expect.poll(() => page.getByText('还没有绑定户号。').isVisible()).toBe(true);
      expect(oauth.stats().exchanged).toBe(1);
      await shot('1-signed-in');
    });

    await step('self-bind', async () => {
      await page.getByRole('button', { name: '绑定户号' }).click();
      await page.getByLabel('户号').fill('PA-SE1');
      await page.getByRole('button', { name: '发送验证码' }).click();
      await page.getByText('验证码已发送').waitFor();
      await page.getByLabel('短信验证码').fill(await smsCode(p, ids.account));
      await shot('2-bind');
      await page.getByRole('button', { name: '绑定', exact: true }).click();
      await page.locator('[data-balance]').waitFor();
      expect((await page.locator('[data-balance]').textContent())?.trim()).toBe('70.00 元');
      // 30.00 charged over 10 days → 3.00 a day → 70.00 lasts about 23 days
      expect((await page.locator('[data-days-left]').textContent())?.trim()).toBe('按您近期的用量，约可再用 23 天');
    });

    await step('self-usage', async () => {
      const bars = page.locator('svg[data-chart="usage"] rect');
      await expect.poll(() => bars.count()).toBe(30);
      await page.locator('svg[data-chart="usage"]').scrollIntoViewIfNeeded();
      await shot('3-usage-daily');
      await page.getByRole('button', { name: '按月（含去年同期）' }).click();
      await expect.poll(() => bars.count()).toBe(12);
      expect(await page.locator('svg[data-chart="usage"] polyline').count()).toBe(1);
      await shot('4-usage-monthly');
    });

    await step('self-pay', async () => {
      await page.getByRole('button', { name: '50.00' }).click();
      await page.getByRole('button', { name: '微信支付' }).click();
      const waiting = page.locator('[data-order-no]');
      await waiting.waitFor();
      const orderNo = (await waiting.getAttribute('data-order-no')) ?? '';
      expect(sb.orders().get(orderNo)?.amountFen).toBe(5000);
      await shot('5-paying');
      // the payer pays in WeChat; the signed callback posts to the platform
      expect((await sb.deliver(sb.pay(orderNo))).status).toBe(200);
      await page.getByText('支付成功，已入账').waitFor();
      await expect.poll(async () => (await page.locator('[data-balance]').textContent())?.trim()).toBe('120.00 元');
      expect((await page.locator('[data-days-left]').textContent())?.trim()).toBe('按您近期的用量，约可再用 40 天');
      await expect.poll(() => page.locator('[data-payments] li').count()).toBe(1);
      expect(await page.locator('[data-payments] li').first().textContent()).toContain('50.00');
      await shot('6-paid');
    });

    await step('self-receipt', async () => {
      const [receipt] = await Promise.all([
        page.context().waitForEvent('page'),
        page.locator('[data-payments] a').first().click(),
      ]);
      await receipt.waitForLoadState();
      const text = await receipt.locator('body').innerText();
      expect(text).toContain('PA-SE1');
      expect(text).toContain('50.00');
      await receipt.screenshot({ path: join(SHOTS, '7-receipt.png'), fullPage: true });
      await receipt.close();
    });
    console.log(`self-service e2e screenshots: ${SHOTS}`);
  });
});
