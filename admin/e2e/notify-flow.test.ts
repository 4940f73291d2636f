import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, loggedIn } from '../../core/server/test/client.ts';
import { startTestPlatform } from '../../core/server/test/platform.ts';
import { dialog, login, openMenu, sel, switchLanguage } from './support/admin-ui.ts';
import { type BrowserSession, openBrowser, screenshotSteps } from './support/browser.ts';
import { ensureAdminBuilt } from './support/build-admin.ts';

// The notice pages in Chromium: a template edited with the live preview (an error shows instead of
// the preview and blocks saving; a good template previews with sample values and saves as the
// tenant's), the settings saved, the delivery log opened, and the pages in English.

type Platform = Awaited<ReturnType<typeof startTestPlatform>>;

describe('notice pages in Chromium', () => {
  let platform: Platform;
  let b: BrowserSession;
  let api: Client;
  const { step, close } = screenshotSteps(() => b);

  beforeAll(async () => {
    ensureAdminBuilt();
    platform = await startTestPlatform();
    b = await openBrowser(platform.baseUrl);
    api = await loggedIn(platform.baseUrl, 'demo', 'admin', platform.demo.password);
  });

  afterAll(async () => {
    await close();
    await platform?.stop();
  });


  it('edits a template with the live preview, saves settings and opens the delivery log', async () => {
    const { page } = b;
    await step('templates', async () => {
      await login(page, platform.demo.tenant, platform.demo.username, platform.demo.password);
      await openMenu(page, 'notify-templates', 'notify-templates-page');
      await page.click(sel('notify-edit-low-balance-1-sms'));
      const dlg = dialog(page, 'notify-template-dialog');
      const body = dlg.locator(`textarea${sel('notify-template-body')}, ${sel('notify-template-body')} textarea`);
      await body.fill('{{#if balanceYuan}}未闭合');
      await dlg.locator(sel('notify-preview-error')).waitFor();
      expect(await dlg.locator(sel('notify-template-save')).isDisabled()).toBe(true);
      await body.fill('您好{{customerName}}，余额{{balanceYuan}}元');
      await expect
        .poll(() => dlg.locator(sel('notify-preview')).textContent(), { timeout: 10_000 })
        .toBe('您好张三，余额18.50元');
      await dlg.locator(sel('notify-template-save')).click();
      await page.locator(sel('notify-source-low-balance-1-sms'), { hasText: '本单位' }).waitFor();
      const saved = await api.get('/api/v1/notify/templates/low-balance-1/sms');
      expect(saved.body).toMatchObject({ source: 'tenant', body: '您好{{customerName}}，余额{{balanceYuan}}元' });
    });

    await step('settings', async () => {
      await openMenu(page, 'notify-settings', 'notify-settings-page');
      await page.click(sel('notify-settings-save'));
      await expect
        .poll(async () => (await api.get('/api/v1/audit?action=notify-settings.update')).body.items.length, {
          timeout: 10_000,
        })
        .toBe(1);
      expect((await api.get('/api/v1/notify/settings')).body).toMatchObject({ quietStart: '22:00', quietEnd: '08:00' });
    });

    await step('deliveries', async () => {
      await openMenu(page, 'notify-deliveries', 'notify-deliveries-page');
      await page.locator(sel('notify-delivery-table')).waitFor();
    });

    await step('english', async () => {
      await switchLanguage(page, 'en');
      await page.locator(sel('menu-notify-templates'), { hasText: 'Notice templates' }).waitFor();
      await openMenu(page, 'notify-templates', 'notify-templates-page');
      await page.locator(sel('notify-source-low-balance-1-sms'), { hasText: 'This tenant' }).waitFor();
      await switchLanguage(page, 'zh-CN');
    });
  });
});
