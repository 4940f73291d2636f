import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggedIn } from '../../core/server/test/client.ts';
import { startTestPlatform } from '../../core/server/test/platform.ts';
import { login, logout, sel } from './support/admin-ui.ts';
import { type ArchiveSample, seedArchiveSample } from './support/archive-sample.ts';
import { type BrowserSession, dropArtifacts, openBrowser, withScreenshot } from './support/browser.ts';
import { ensureAdminBuilt } from './support/build-admin.ts';
import { chromeText, RAW_KEY, rawKeys, strayWords } from './support/language-check.ts';

// Every page and dialog in both languages: no permission/action codes, no setting keys, and the
// interface's own text (menu, titles, labels, buttons, headers, tags) in one language only. Set
// QM_SHOTS=<dir> to keep a screenshot of each stop for a person to look at.

type Platform = Awaited<ReturnType<typeof startTestPlatform>>;
const LOCALES = ['zh-CN', 'en'] as const;

describe('every page in both languages', () => {
  let platform: Platform;
  let b: BrowserSession;
  let failed = false;
  let sample: ArchiveSample;

  beforeAll(async () => {
    ensureAdminBuilt();
    platform = await startTestPlatform();
    b = await openBrowser(platform.baseUrl);
    sample = await seedArchiveSample(await loggedIn(platform.baseUrl, 'demo', 'admin', platform.demo.password));
  });
  afterAll(async () => {
    await b?.close();
    if (b && !failed) await dropArtifacts(b);
    await platform?.stop();
  });

  /** Checks what is on screen now; `label` names the stop in failures and screenshots. */
  async function check(locale: (typeof LOCALES)[number], label: string) {
    const { page } = b;
    await page.locator('.el-loading-mask:visible').waitFor({ state: 'detached' }).catch(() => {});
    const body = await page.locator('body').innerText();
    const chrome = await chromeText(page);
    const shots = process.env.QM_SHOTS;
    if (shots) {
      await page.screenshot({ path: `${shots}/${locale}-${label}.png`, fullPage: true });
      await writeFile(`${shots}/${locale}-${label}.txt`, chrome);
    }
    expect(chrome.length, `${locale} ${label}: interface text found`).toBeGreaterThan(20);
    expect(rawKeys(body), `${locale} ${label}: raw keys`).toEqual([]);
    expect(strayWords(locale, chrome), `${locale} ${label}: other language`).toEqual([]);
  }

  async function visit(locale: (typeof LOCALES)[number], path: string, marker: string) {
    await b.page.goto(path);
    await b.page.locator(sel(marker)).first().waitFor();
    await check(locale, path.replace(/\//g, '_') || 'home');
  }

  async function openDialog(locale: (typeof LOCALES)[number], trigger: string, dialog: string) {
    await b.page.locator(trigger).first().click();
    await b.page.locator(`${sel(dialog)}:visible`).waitFor();
    await check(locale, dialog);
    await b.page.keyboard.press('Escape');
    // closing animates; a busy machine takes longer than expect.poll's default second
    await b.page.locator(`${sel(dialog)}:visible`).waitFor({ state: 'hidden' });
  }

  for (const locale of LOCALES) {
    it(`${locale}: sign-in, tenant pages and dialogs`, async () => {
      await withScreenshot(b, `tour-${locale}`, async () => {
        const { page } = b;
        await b.context.clearCookies();
        await page.goto('/login');
        await page.evaluate((l) => localStorage.setItem('quadmeter.locale', l), locale);
        await page.goto('/login');
        await page.fill(sel('login-username'), 'admin');
        await page.fill(sel('login-password'), 'wrong-password');
        await page.click(sel('login-submit'));
        await page.locator(sel('login-error')).waitFor();
        await check(locale, 'login-error');

        await login(page, 'demo', 'admin', platform.demo.password);
        await visit(locale, '/', 'perm-chip');
        await visit(locale, '/users', 'user-row');
        await openDialog(locale, sel('user-create'), 'user-dialog');
        await visit(locale, '/roles', 'role-row');
        await openDialog(locale, '[data-test^="role-edit-"]', 'role-dialog');
        await visit(locale, '/areas', 'area-node');
        await openDialog(locale, sel('area-add-root'), 'area-dialog');
        for (const id of ['meter-water', 'meter-power', 'meter-gas', 'meter-heat']) {
          await visit(locale, '/plugins', `plugin-settings-${id}`);
          await openDialog(locale, sel(`plugin-settings-${id}`), 'plugin-dialog');
        }
        await visit(locale, '/audit', 'audit-row');
        await logout(page);
      }).catch((e) => {
        failed = true;
        throw e;
      });
    });

    it(`${locale}: archive pages and dialogs`, async () => {
      await withScreenshot(b, `tour-archives-${locale}`, async () => {
        await b.context.clearCookies();
        await b.page.goto('/login');
        await b.page.evaluate((l) => localStorage.setItem('quadmeter.locale', l), locale);
        await login(b.page, 'demo', 'admin', platform.demo.password);
        await visit(locale, '/customers', 'customer-row');
        await openDialog(locale, sel('customer-create'), 'customer-dialog');
        await visit(locale, `/customers/${sample.customerId}`, 'account-row');
        // (the edit dialog shows the customer's area by name: tenant data, not interface text)
        await openDialog(locale, sel('fact-add'), 'fact-dialog');
        await openDialog(locale, sel('account-create'), 'account-dialog');
        await openDialog(locale, '[data-test^="account-edit-"]', 'account-dialog');
        await visit(locale, '/meters', 'meter-row');
        await openDialog(locale, sel('meter-create'), 'meter-dialog');
        await visit(locale, `/meters/${sample.stockMeterId}`, 'meter-action-install');
        await openDialog(locale, sel('meter-action-install'), 'meter-install-dialog');
        await visit(locale, `/meters/${sample.installedMeterId}`, 'meter-action-replace');
        for (const action of ['replace', 'suspend', 'transfer', 'remove'])
          await openDialog(locale, sel(`meter-action-${action}`), `meter-${action}-dialog`);
        await logout(b.page);
      }).catch((e) => {
        failed = true;
        throw e;
      });
    });

    it(`${locale}: operator pages`, async () => {
      await withScreenshot(b, `tour-operator-${locale}`, async () => {
        const { page } = b;
        await b.context.clearCookies();
        await login(page, 'platform', 'operator', platform.operator.password);
        await visit(locale, '/', 'perm-chip');
        await visit(locale, '/tenants', 'tenant-row');
        await openDialog(locale, sel('tenant-create'), 'tenant-dialog');
        await visit(locale, '/audit', 'audit-row');
        await logout(page);
      }).catch((e) => {
        failed = true;
        throw e;
      });
    });
  }

  it('recognises what it is looking for', () => {
    expect(rawKeys('查看用户 users.read 审计 auth.login meters.read-now')).toEqual(['users.read', 'auth.login', 'meters.read-now']);
    expect(RAW_KEY.test('Quadmeter 0.1.0')).toBe(false);
    expect(strayWords('en', 'Users 用户管理 Roles')).toEqual(['用户管理']);
    expect(strayWords('zh-CN', '用户管理 Quadmeter IP 地址 meterDigits Sign in')).toEqual(['meterDigits', 'Sign', 'in']);
  });
});
