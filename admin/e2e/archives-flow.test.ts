import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, loggedIn } from '../../core/server/test/client.ts';
import { startTestPlatform } from '../../core/server/test/platform.ts';
import { login, openMenu, sel } from './support/admin-ui.ts';
import {
  createAccount,
  createCustomer,
  field,
  fillMeterForm,
  lifecycle,
  meterEvents,
  meterStatus,
} from './support/archives-ui.ts';
import { type BrowserSession, openBrowser, screenshotSteps } from './support/browser.ts';
import { ensureAdminBuilt } from './support/build-admin.ts';

// A person at the archives: a customer, an account and a meter made through the forms, the meter
// installed and then replaced through the dialogs; the server must hold exactly what was typed.

type Platform = Awaited<ReturnType<typeof startTestPlatform>>;

/** expect.poll with room for a save and the reload after it on a busy machine. */
const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 10_000 });

describe('archives in Chromium', () => {
  let platform: Platform;
  let b: BrowserSession;
  let api: Client;
  const { step, close } = screenshotSteps(() => b);
  const tag = randomBytes(3).toString('hex');
  const digits = String(Number.parseInt(tag, 16)).padStart(8, '0').slice(-8);
  const names = {
    customer: `E2E-C-${tag}`,
    account: `E2E-A-${tag}`,
    oldMeter: `E2E-W-${tag}`,
    newMeter: `E2E-W2-${tag}`,
    oldAddress: `202601${digits}`,
    newAddress: `202602${digits}`,
    subMeter: `E2E-S-${tag}`,
    subAddress: `202603${digits}`,
    line: 'tcp://127.0.0.1:4001',
  };

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


  const one = async (path: string) => {
    const r = await api.get(path);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body;
  };

  it('creates a customer, an account and a meter through the forms', async () => {
    const { page } = b;
    await step('archives-create', async () => {
      await login(page, platform.demo.tenant, platform.demo.username, platform.demo.password);
      await openMenu(page, 'customers', 'customers-page');
      await createCustomer(page, {
        number: names.customer,
        name: '张三',
        area: '1号楼',
        phone: '13800138000',
        household: 4,
      });
      await page.fill(field('customer-search'), names.customer);
      await page.click(sel('customer-search-button'));
      // the export streams the current filter from the server as xlsx
      const [download] = await Promise.all([page.waitForEvent('download'), page.click(sel('customer-export'))]);
      expect(download.suggestedFilename()).toBe('customers.xlsx');
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(await readFile((await download.path())!));
      const cells = book.worksheets[0].getSheetValues().flatMap((row) => (Array.isArray(row) ? row.map(String) : []));
      expect(cells).toContain(names.customer);
      expect(book.worksheets[0].actualRowCount).toBe(2); // the header and the one customer searched for
      await page.click(`${sel('customer-row')}[data-number="${names.customer}"]`);
      await page.locator(sel('customer-detail-page')).waitFor();
      await poll(() => page.locator(sel('customer-household')).textContent()).toBe('4');

      await createAccount(page, { number: names.account, deposit: '12.3', mode: 'prepaid' });
      const row = page.locator('tr', { has: page.locator(`${sel('account-row')}[data-number="${names.account}"]`) });
      expect(await row.locator(sel('account-deposit')).textContent()).toBe('12.30');

      await page.click(sel(`account-add-meter-${names.account}`));
      await fillMeterForm(page, { kind: 'meter-water', assetNo: names.oldMeter, address: names.oldAddress, line: names.line });
      await page.locator(`${sel('account-meter')}[data-asset-no="${names.oldMeter}"]`).waitFor();
    });

    // what the server holds
    const customers = (await one(`/api/v1/customers?number=${names.customer}`)).items;
    expect(customers).toHaveLength(1);
    const customer = customers[0];
    expect(customer).toMatchObject({ name: '张三', type: 'resident', phone: '13800138000', status: 'active' });
    expect((await one(`/api/v1/customers/${customer.id}`)).facts).toEqual({ household_size: 4, heated_area_m2: null });
    const [account] = (await one(`/api/v1/customers/${customer.id}/accounts`)).items;
    expect(account).toMatchObject({ number: names.account, billingMode: 'prepaid', depositFen: '1230' });
    const [meter] = (await one(`/api/v1/meters?q=${names.oldMeter}`)).items;
    expect(meter).toMatchObject({
      kind: 'meter-water',
      protocol: 'cjt188',
      status: 'in_stock',
      accountId: account.id,
      areaId: customer.areaId,
      route: { via: 'serial', line: names.line, baud: 2400, parity: 'E' },
    });
  });

  it('installs the meter and replaces it through the dialogs', async () => {
    const { page } = b;
    await step('archives-replace', async () => {
      await page.click(`${sel('account-meter')}[data-asset-no="${names.oldMeter}"]`);
      await page.locator(sel('meter-detail-page')).waitFor();
      await poll(() => meterStatus(page)).toBe('in_stock');

      await lifecycle(page, 'install', '5', '新装');
      await poll(() => meterStatus(page)).toBe('installed');

      await page.click(sel('meter-action-replace'));
      const dlg = page.locator(`${sel('meter-replace-dialog')}:visible`);
      await dlg.locator(field('replace-final')).fill('125.5');
      await dlg.locator(field('replace-asset-no')).fill(names.newMeter);
      await dlg.locator(field('replace-address')).fill(names.newAddress);
      await dlg.locator(field('replace-initial')).fill('0.5');
      await dlg.locator(field('replace-reason')).fill('表坏更换');
      await dlg.locator(sel('meter-replace-submit')).click();

      // the page moves to the new meter, installed with its initial reading
      await poll(() => page.locator(sel('meter-detail-title')).textContent()).toContain(names.newMeter);
      await poll(() => meterStatus(page)).toBe('installed');
      expect(await page.locator(sel('meter-detail-initial')).textContent()).toBe('0.5000');
      await poll(() => meterEvents(page)).toEqual([{ kind: 'install', final: '', initial: '0.5' }]);

      // and the old one shows its removal by replacement with both readings
      await page.click(sel('meter-event-related'));
      await poll(() => page.locator(sel('meter-detail-title')).textContent()).toContain(names.oldMeter);
      await poll(() => meterStatus(page)).toBe('removed');
      expect(await meterEvents(page)).toEqual([
        { kind: 'replace', final: '125.5', initial: '0.5' },
        { kind: 'install', final: '', initial: '5' },
      ]);
      expect(await page.locator(sel('meter-action-replace')).count()).toBe(0);
    });

    const [old] = (await one(`/api/v1/meters?q=${names.oldMeter}`)).items;
    const [fresh] = (await one(`/api/v1/meters?q=${names.newMeter}`)).items;
    const [account] = (await one(`/api/v1/accounts?number=${names.account}`)).items;
    expect(old).toMatchObject({ status: 'removed', accountId: null, route: null, initialReading: '5.0000' });
    expect(fresh).toMatchObject({
      status: 'installed',
      kind: 'meter-water',
      accountId: account.id,
      initialReading: '0.5000',
      commAddress: names.newAddress,
      route: { via: 'serial', line: names.line, address: names.newAddress },
    });
    const oldEvents = (await one(`/api/v1/meters/${old.id}/history`)).items;
    expect(oldEvents.map((e: { kind: string }) => e.kind)).toEqual(['install', 'replace']);
    expect(oldEvents[1]).toMatchObject({
      reason: '表坏更换',
      readings: { final: { totalVolume: '125.5' }, initial: { totalVolume: '0.5' } },
      relatedMeterId: fresh.id,
      fromAccountId: account.id,
      toAccountId: account.id,
    });
    const newEvents = (await one(`/api/v1/meters/${fresh.id}/history`)).items;
    expect(newEvents).toMatchObject([{ kind: 'install', relatedMeterId: old.id, readings: { initial: { totalVolume: '0.5' } } }]);
  });

  it('shows the replacement in the customer’s meter events and history', async () => {
    const { page } = b;
    await step('archives-customer-history', async () => {
      // the old meter left the account; its replacement holds it
      await page.click(sel('meter-event-related'));
      await poll(() => page.locator(sel('meter-detail-title')).textContent()).toContain(names.newMeter);
      await page.click(sel('meter-detail-account'));
      await page.locator(sel('customer-detail-page')).waitFor();
      await page.locator(`${sel('account-meter')}[data-asset-no="${names.newMeter}"]`).waitFor();
      await page.getByRole('tab', { name: '表计事件' }).click();
      const kinds = await page
        .locator(`${sel('meter-event-row')}:visible`)
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
      expect(kinds.sort()).toEqual(['install', 'install', 'replace']);
      await page.getByRole('tab', { name: '变更记录' }).click();
      await page.locator(`${sel('history-row')}[data-action="customers.create"]:visible`).waitFor();
    });
  });

  it('links a sub-meter to the new meter through the picker and unlinks it', async () => {
    const { page } = b;
    const [fresh] = (await one(`/api/v1/meters?q=${names.newMeter}`)).items;
    const made = await api.post('/api/v1/meters', {
      kind: 'meter-water',
      assetNo: names.subMeter,
      commAddress: names.subAddress,
      protocol: 'cjt188',
      areaId: fresh.areaId,
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    await step('archives-sub-meter', async () => {
      await page.goto(`${platform.baseUrl}/meters/${fresh.id}`);
      await poll(() => page.locator(sel('meter-detail-title')).textContent()).toContain(names.newMeter);
      await page.click(sel('meter-link-add'));
      const dlg = page.locator(`${sel('meter-link-dialog')}:visible`);
      await dlg.locator(`${sel('meter-link-picker')} input`).fill(names.subMeter);
      await page.locator(`${sel('meter-option')}[data-label="${names.subMeter}"]:visible`).click();
      await dlg.locator(sel('meter-link-submit')).click();
      await page.locator(sel(`meter-unlink-${names.subMeter}`)).waitFor();
    });
    expect((await one(`/api/v1/meters/${fresh.id}/children`)).childIds).toEqual([made.body.id]);

    await step('archives-sub-meter-unlink', async () => {
      await page.click(sel(`meter-unlink-${names.subMeter}`));
      await page.locator('.el-message-box__btns .el-button--primary').click();
      await poll(() => page.locator(sel(`meter-unlink-${names.subMeter}`)).count()).toBe(0);
    });
    expect((await one(`/api/v1/meters/${fresh.id}/children`)).childIds).toEqual([]);
  });

  it('shows a clerk without customers.pii masked numbers and keeps them when the clerk edits', async () => {
    const { page } = b;
    const role = await api.post('/api/v1/roles', {
      name: `档案员-${tag}`,
      permissions: ['areas.read', 'customers.read', 'customers.write', 'meters.read'],
    });
    expect(role.status).toBe(201);
    const password = `Clerk-${tag}-password`;
    const user = await api.post('/api/v1/users', {
      username: `clerk-${tag}`,
      displayName: 'Clerk',
      password,
      roleIds: [role.body.id],
      areaIds: [],
    });
    expect(user.status).toBe(201);
    await step('archives-masked', async () => {
      await page.context().clearCookies();
      await login(page, 'demo', `clerk-${tag}`, password);
      await page.goto('/customers');
      await page.fill(field('customer-search'), names.customer);
      await page.click(sel('customer-search-button'));
      const row = page.locator('tr', { has: page.locator(`${sel('customer-row')}[data-number="${names.customer}"]`) });
      await poll(() => row.count()).toBe(1);
      const phone = (await row.locator('td').nth(3).textContent())?.trim() ?? '';
      expect(phone).not.toBe('13800138000');
      expect(phone).toMatch(/\*/);

      await page.click(sel(`customer-edit-${names.customer}`));
      const dlg = page.locator(`${sel('customer-dialog')}:visible`);
      expect(await dlg.locator(field('customer-form-phone')).inputValue()).toBe(phone);
      await dlg.locator(field('customer-form-name')).fill('张三丰');
      const saved = page.waitForResponse((r) => r.url().includes('/api/v1/customers/') && r.request().method() === 'PATCH');
      await dlg.locator(sel('customer-form-submit')).click();
      const patch = await saved;
      expect(patch.status()).toBe(200);
      expect(Object.keys(patch.request().postDataJSON())).not.toContain('phone');

      // meters.read without meters.write: the list shows, the create button does not
      await page.goto('/meters');
      await page.locator(`${sel('meter-row')}[data-asset-no="${names.newMeter}"]`).waitFor();
      expect(await page.locator(sel('meter-create')).count()).toBe(0);
    });
    const [stored] = (await one(`/api/v1/customers?number=${names.customer}`)).items;
    expect(stored).toMatchObject({ name: '张三丰', phone: '13800138000' });
  });
});
