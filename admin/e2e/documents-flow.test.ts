import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, loggedIn } from '../../core/server/test/client.ts';
import { startTestPlatform } from '../../core/server/test/platform.ts';
import { login, openMenu, sel } from './support/admin-ui.ts';
import { type BrowserSession, dropArtifacts, openBrowser, withScreenshot } from './support/browser.ts';
import { ensureAdminBuilt } from './support/build-admin.ts';

// Documents in Chromium: the template designer's live preview follows the source as it is typed
// (a palette field inserted shows up; a broken template shows its error with line and column and
// blocks publishing), a published version; a receipt's print page (A4 and 80 mm) rendered and
// photographed; the customer page's document history voiding one with a reason.

type Platform = Awaited<ReturnType<typeof startTestPlatform>>;

/** Screenshots kept as test artifacts (the repository ignores .tmp/). */
const SHOTS = fileURLToPath(new URL('../../.tmp/documents-e2e/', import.meta.url));

describe('documents in Chromium', () => {
  let platform: Platform;
  let b: BrowserSession;
  let api: Client;
  let failed = false;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    ensureAdminBuilt();
    platform = await startTestPlatform();
    b = await openBrowser(platform.baseUrl);
    api = await loggedIn(platform.baseUrl, 'demo', 'admin', platform.demo.password);
    const areas = (await api.get('/api/v1/areas')).body.items as { id: string; name: string }[];
    const areaId = areas.find((a) => a.name === '1号楼')!.id;
    const c = await api.post('/api/v1/customers', { name: '单据户', number: 'DOC-C1', areaId });
    ids.customer = c.body.id;
    ids.account = (await api.post('/api/v1/accounts', { customerId: c.body.id, number: 'DOC-A1' })).body.id;
    expect((await api.post('/api/v1/cashier-shifts', { openingFloatFen: 0 })).status).toBe(201);
    const pay = await api.post('/api/v1/payments', {
      accountId: ids.account,
      method: 'cash',
      amountFen: 12345,
      tenderedFen: 20000,
      idempotencyKey: `doc-e2e-${Date.now()}`,
    });
    expect(pay.status).toBe(201);
    ids.payment = pay.body.id;
    mkdirSync(SHOTS, { recursive: true });
    console.log(`documents e2e screenshots: ${SHOTS}`);
  });

  afterAll(async () => {
    await b?.close();
    if (b && !failed) await dropArtifacts(b);
    await platform?.stop();
  });

  const step = async (name: string, fn: () => Promise<void>) => {
    try {
      await withScreenshot(b, name, fn);
    } catch (e) {
      failed = true;
      throw e;
    }
  };

  it('designs a template with the live preview, prints receipts and voids one from the customer page', async () => {
    const { page } = b;
    await step('designer', async () => {
      await login(page, platform.demo.tenant, platform.demo.username, platform.demo.password);
      await openMenu(page, 'document-templates', 'document-templates-page');
      await page.click(sel('doc-design-receipt-a4'));
      await page.locator(sel('document-designer')).waitFor();
      const frame = page.frameLocator(sel('doc-preview'));
      // the default template previews with the sample data
      await expect.poll(() => frame.locator('h1').textContent(), { timeout: 10_000 }).toBe('示例水务公司 收费收据');
      const editor = page.locator(sel('doc-template-source'));
      await editor.fill('<p>\n  {{customer.name</p>');
      const error = page.locator(sel('doc-preview-error'));
      await error.waitFor();
      expect(await error.textContent()).toContain('第 2 行');
      expect(await page.locator(sel('doc-template-publish')).isDisabled()).toBe(true);
      await editor.fill('<h1>收据 {{document.number}}</h1><p id="amt">{{yuan payment.amountFen}}</p><p id="who">');
      await expect.poll(() => frame.locator('h1').textContent(), { timeout: 10_000 }).toBe('收据 SJ2026000123');
      // the palette inserts at the cursor (the end): the customer's name appears in the preview
      await editor.press('End');
      await page.click(sel('doc-field-customer.name'));
      await expect.poll(() => frame.locator('#who').textContent(), { timeout: 10_000 }).toBe('张三');
      // and a real payment instead of the sample
      await page.locator(`input${sel('doc-preview-source')}, ${sel('doc-preview-source')} input`).fill(ids.payment!);
      await expect.poll(() => frame.locator('#who').textContent(), { timeout: 10_000 }).toBe('单据户');
      expect(await frame.locator('#amt').textContent()).toBe('123.45');
      await page.screenshot({ path: join(SHOTS, 'designer.png'), fullPage: true });
      await page.locator(`input${sel('doc-template-note')}, ${sel('doc-template-note')} input`).fill('e2e');
      await page.click(sel('doc-template-publish'));
      await page.locator(sel('doc-version-current-1')).waitFor();
      const saved = (await api.get('/api/v1/documents/templates/receipt/a4')).body;
      expect(saved).toMatchObject({ origin: 'tenant', version: 1 });
      expect(saved.source).toContain('{{customer.name}}');
      // roll back to the shipped layout for the prints below: publish a copy of the default
      const back = await api.post('/api/v1/documents/templates/receipt/a4/versions', {
        source: saved.defaultSource,
        note: 'default',
        publish: true,
      });
      expect(back.status).toBe(201);
    });

    await step('print', async () => {
      const a4 = await api.post('/api/v1/documents/receipts', { paymentId: ids.payment });
      expect(a4.status).toBe(201);
      ids.doc = a4.body.id;
      ids.number = a4.body.number;
      const print = await b.context.newPage();
      await print.goto(`/api/v1/documents/${a4.body.id}/print`);
      expect(await print.locator('h1').textContent()).toContain('收费收据');
      expect(await print.locator('body').textContent()).toContain('壹佰贰拾叁元肆角伍分');
      await print.screenshot({ path: join(SHOTS, 'receipt-a4.png'), fullPage: true });
      await print.emulateMedia({ media: 'print' });
      await print.screenshot({ path: join(SHOTS, 'receipt-a4-print.png'), fullPage: true });
      // an 80 mm thermal receipt of another payment
      const pay2 = await api.post('/api/v1/payments', {
        accountId: ids.account,
        method: 'cash',
        amountFen: 800,
        tenderedFen: 1000,
        idempotencyKey: `doc-e2e-2-${Date.now()}`,
      });
      const roll = await api.post('/api/v1/documents/receipts', { paymentId: pay2.body.id, variant: 'thermal80' });
      expect(roll.status).toBe(201);
      await print.setViewportSize({ width: 302, height: 800 });
      await print.goto(`/api/v1/documents/${roll.body.id}/print`);
      expect(await print.locator('.big').textContent()).toBe('金额：¥8.00');
      await print.screenshot({ path: join(SHOTS, 'receipt-80mm.png'), fullPage: true });
      await print.close();
    });

    await step('history', async () => {
      await page.goto(`/customers/${ids.customer}`);
      await page.click('#tab-documents');
      const row = page.locator(`${sel('document-row')}[data-number="${ids.number}"]`);
      await row.waitFor();
      await page.click(sel(`document-void-${ids.number}`));
      await page.locator('.el-message-box input').fill('打错了');
      await page.locator('.el-message-box .el-button--primary').click();
      await page.locator(sel(`document-status-${ids.number}`), { hasText: '已作废' }).waitFor();
      const doc = (await api.get(`/api/v1/documents/${ids.doc}`)).body;
      expect(doc).toMatchObject({ status: 'voided', voidReason: '打错了' });
      await page.screenshot({ path: join(SHOTS, 'history.png'), fullPage: true });
    });
  });
});
