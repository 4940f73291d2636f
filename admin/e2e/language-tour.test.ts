import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { loggedIn } from '../../core/server/test/client.ts';
import { startTestPlatform } from '../../core/server/test/platform.ts';
import { login, logout, sel } from './support/admin-ui.ts';
import { type ArchiveSample, seedArchiveSample } from './support/archive-sample.ts';
import { field } from './support/archives-ui.ts';
import { type BrowserSession, openBrowser, screenshotSteps } from './support/browser.ts';
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
  const { step, close } = screenshotSteps(() => b);
  let importId = '';

  /** Device archive rows for the archive pages to show: a gateway branch, a group, fields, an import. */
  async function seedArchive() {
    const api = await loggedIn(platform.baseUrl, 'demo', 'admin', platform.demo.password);
    const areas: { id: string; name: string }[] = (await api.get('/api/v1/areas')).body.items;
    // a neutral area name: edit dialogs show it selected, and it reads the same in both languages
    const unit = await api.post('/api/v1/areas', {
      parentId: areas.find((a) => a.name === '1号楼')!.id,
      name: '101',
      kind: 'unit',
    });
    const areaId = unit.body.id;
    const field = (entity: string, key: string, zh: string, en: string, type: string, options?: string[]) =>
      api.post('/api/v1/custom-fields', { entity, key, label: { 'zh-CN': zh, en }, type, options });
    expect((await field('concentrator', 'cabinet', '安装箱号', 'Cabinet', 'text')).status).toBe(201);
    expect((await field('customer', 'floor', '楼层', 'Floor', 'select', ['1', '2', '3'])).status).toBe(201);
    const con = await api.post('/api/v1/concentrators', { number: '0001', a1: '3301', a2: 1, areaId });
    const col = await api.post('/api/v1/collectors', {
      number: '1001',
      interface: 'rs485',
      address: '01',
      concentratorId: con.body.id,
      areaId,
    });
    expect([con.status, col.status]).toEqual([201, 201]);
    const via = { via: 'concentrator', concentratorId: con.body.id, port: 2 };
    for (const [i, collectorId] of [[1, col.body.id], [2, null]] as const) {
      const meter = await api.post('/api/v1/meters', {
        kind: 'meter-water',
        assetNo: `10000${i}`,
        commAddress: `00000000000${i}`,
        protocol: 'gdw1376',
        areaId,
        route: { ...via, pointNo: i, collectorId },
      });
      expect(meter.status).toBe(201);
    }
    expect((await api.post('/api/v1/meter-groups', { name: '一号楼水表', kind: 'filter', filter: { kind: 'meter-water' } })).status).toBe(201);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('customers');
    ws.addRow(['用户编号', '用户名称', '所属区域', '楼层']);
    ws.addRow(['900001', '住户甲', '1号楼', '1']);
    ws.addRow(['900002', '住户乙', '无此楼', '2']);
    const res = await fetch(`${platform.baseUrl}/api/v1/imports?entity=customers&fileName=${encodeURIComponent('用户.xlsx')}`, {
      method: 'POST',
      headers: {
        cookie: api.cookie,
        'x-csrf-token': api.csrf,
        'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      },
      body: Buffer.from(await wb.xlsx.writeBuffer()),
    });
    expect(res.status).toBe(201);
    importId = ((await res.json()) as { id: string }).id;
  }
  let sample: ArchiveSample;
  let taskId = '';

  /** A reading task of the installed sample meter and a schedule, for the reading pages to show. */
  async function seedReading() {
    const api = await loggedIn(platform.baseUrl, 'demo', 'admin', platform.demo.password);
    const task = await api.post('/api/v1/reading-tasks', {
      target: 'meter',
      meterId: sample.installedMeterId,
      kind: 'realtime',
      rounds: 0,
    });
    expect(task.status, JSON.stringify(task.body)).toBe(201);
    taskId = task.body.task.id;
    const schedule = await api.post('/api/v1/reading-schedules', {
      name: 'A1',
      target: 'meter',
      targetId: sample.installedMeterId,
      kind: 'daily',
      frequency: 'daily',
      hour: 1,
      minute: 30,
    });
    expect(schedule.status, JSON.stringify(schedule.body)).toBe(201);
  }

  let batchId = '';
  /** a demo tariff plan, for its page */
  let planId = '';
  /**
   * Remote control rows: a command on the installed sample meter, and a cut on a valve meter
   * requested by another user above a threshold of 0, so it waits for the admin's approval.
   */
  async function seedControl() {
    const api = await loggedIn(platform.baseUrl, 'demo', 'admin', platform.demo.password);
    const areas: { id: string; name: string }[] = (await api.get('/api/v1/areas')).body.items;
    const areaId = areas.find((a) => a.name === '1号楼')!.id;
    const extra = await api.post('/api/v1/meters', {
      kind: 'meter-water',
      assetNo: '300003',
      commAddress: '20260000000003',
      protocol: 'cjt188',
      control: 'valve',
      areaId,
      route: { via: 'serial', line: 'tcp://127.0.0.1:4001', baud: 2400, parity: 'E' },
    });
    expect(extra.status, JSON.stringify(extra.body)).toBe(201);
    expect((await api.post(`/api/v1/meters/${extra.body.id}/install`, { initialReading: '0', reason: '新装' })).status).toBe(200);
    const command = await api.post(`/api/v1/meters/${sample.installedMeterId}/commands`, { action: 'time-sync', reason: '校时' });
    expect(command.status, JSON.stringify(command.body)).toBe(201);
    const settings = await api.put('/api/v1/control-settings', { approvalThreshold: 0, expiryMinutes: 60, maxAttempts: 1 });
    expect(settings.status, JSON.stringify(settings.body)).toBe(200);
    const role = await api.post('/api/v1/roles', { name: '控制员', permissions: ['meters.read', 'meters.control'] });
    expect(role.status, JSON.stringify(role.body)).toBe(201);
    const password = `Ctl-${platform.demo.password}`;
    const user = await api.post('/api/v1/users', { username: 'controller', displayName: '控制员', password, roleIds: [role.body.id] });
    expect(user.status, JSON.stringify(user.body)).toBe(201);
    const controller = await loggedIn(platform.baseUrl, 'demo', 'controller', password);
    const batch = await controller.post('/api/v1/command-batches', {
      target: 'meters',
      meterIds: [extra.body.id],
      action: 'valve-close',
      reason: '欠费关阀',
    });
    expect(batch.status, JSON.stringify(batch.body)).toBe(201);
    expect(batch.body.status).toBe('pending_approval');
    batchId = batch.body.id;
  }

  beforeAll(async () => {
    ensureAdminBuilt();
    platform = await startTestPlatform();
    b = await openBrowser(platform.baseUrl);
    await seedArchive();
    sample = await seedArchiveSample(await loggedIn(platform.baseUrl, 'demo', 'admin', platform.demo.password));
    await seedReading();
    await seedControl();
    const plans = await (await loggedIn(platform.baseUrl, 'demo', 'admin', platform.demo.password)).get('/api/v1/tariff-plans');
    planId = plans.body.items[0].id;
  });
  afterAll(async () => {
    await close();
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
      await step(`tour-${locale}`, async () => {
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
        for (const id of ['meter-water', 'meter-power', 'meter-gas', 'meter-heat', 'transport-nbiot', 'transport-lora']) {
          await visit(locale, '/plugins', `plugin-settings-${id}`);
          await openDialog(locale, sel(`plugin-settings-${id}`), 'plugin-dialog');
        }
        await visit(locale, '/audit', 'audit-row');
        await logout(page);
      });
    });

    it(`${locale}: device archive pages and archive tools`, async () => {
      await step(`tour-archives-${locale}`, async () => {
        const { page } = b;
        await b.context.clearCookies();
        await page.goto('/login');
        await page.evaluate((l) => localStorage.setItem('quadmeter.locale', l), locale);
        await login(page, 'demo', 'admin', platform.demo.password);
        await visit(locale, '/concentrators', 'concentrator-row');
        await openDialog(locale, sel('concentrator-create'), 'concentrator-dialog');
        await openDialog(locale, '[data-test^="concentrator-edit-"]', 'concentrator-dialog');
        await openDialog(locale, '[data-test^="concentrator-archive-"]', 'archive-dialog');
        await visit(locale, '/collectors', 'collector-row');
        await openDialog(locale, sel('collector-create'), 'collector-dialog');
        await openDialog(locale, '[data-test^="collector-edit-"]', 'collector-dialog');
        await visit(locale, '/topology', 'topology-node');
        await page.locator(`${sel('topology-node')}[data-type="concentrator"]`).first().click();
        await page.locator('.el-tree-node__expand-icon:visible').first().click();
        await page.locator(`${sel('topology-node')}[data-type="meter"]`).first().waitFor();
        await check(locale, 'topology-open');
        await openDialog(locale, `${sel('topology-node')}[data-type="collector"] ${sel('topology-move')}`, 'topology-move-dialog');
        await openDialog(locale, `${sel('topology-node')}[data-type="meter"] ${sel('topology-move')}`, 'topology-move-dialog');
        await visit(locale, '/meter-groups', 'meter-group-row');
        await openDialog(locale, sel('meter-group-create'), 'meter-group-dialog');
        await openDialog(locale, '[data-test^="meter-group-edit-"]', 'meter-group-dialog');
        await visit(locale, '/custom-fields', 'custom-field-row');
        await openDialog(locale, sel('custom-field-create'), 'custom-field-dialog');
        await openDialog(locale, '[data-test^="custom-field-edit-"]', 'custom-field-dialog');
        await visit(locale, '/uplinks', 'uplinks-page');
        await visit(locale, '/reading', 'reading-console-page');
        await visit(locale, '/reading/tasks', 'reading-task-row');
        await visit(locale, `/reading/tasks/${taskId}`, 'reading-result-row');
        await visit(locale, '/reading/schedules', 'schedule-row');
        await openDialog(locale, sel('schedule-create'), 'schedule-form');
        await openDialog(locale, '[data-test^="schedule-edit-"]', 'schedule-form');
        await visit(locale, '/imports', 'import-start');
        await visit(locale, `/imports?id=${importId}`, 'import-error-row');
        await logout(page);
      });
    });

    it(`${locale}: remote control pages and dialogs`, async () => {
      await step(`tour-control-${locale}`, async () => {
        const { page } = b;
        await b.context.clearCookies();
        await page.goto('/login');
        await page.evaluate((l) => localStorage.setItem('quadmeter.locale', l), locale);
        await login(page, 'demo', 'admin', platform.demo.password);
        await visit(locale, '/control/commands', 'command-row');
        await visit(locale, '/control/batches', 'batch-row');
        await visit(locale, `/control/batches/${batchId}`, 'batch-page-status');
        // (a table column renders its buttons once more, hidden, for a row without data: pick by id)
        await page.goto('/control/approvals');
        await page.locator(`${sel('batch-approve')}[data-id="${batchId}"]`).waitFor();
        await check(locale, '_control_approvals');
        await openDialog(locale, `${sel('batch-approve')}[data-id="${batchId}"]`, 'control-decide-dialog');
        await visit(locale, '/control/settings', 'control-settings-save');
        await visit(locale, '/control', 'control-console-page');
        await page.click(sel('control-target-meters'));
        await page.locator(`${sel('control-meter-picker')} input`).fill('300002');
        await page.locator(`${sel('meter-option')}[data-label="300002"]:visible`).click();
        await page.locator(sel('control-picked-meter')).waitFor();
        await page.click(sel('control-action'));
        await page.locator(`${sel('control-action-time-sync')}:visible`).click();
        await page.locator(field('control-reason')).fill('1');
        await check(locale, 'control-console-filled');
        await openDialog(locale, sel('control-preview'), 'control-confirm-dialog');
        await logout(page);
      });
    });

    it(`${locale}: archive pages and dialogs`, async () => {
      await step(`tour-archives-${locale}`, async () => {
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
        await b.page.locator(sel('command-row')).first().waitFor();
        await openDialog(locale, sel('meter-control-time-sync'), 'control-command-dialog');
        for (const action of ['replace', 'suspend', 'transfer', 'remove'])
          await openDialog(locale, sel(`meter-action-${action}`), `meter-${action}-dialog`);
        await logout(b.page);
      });
    });

    it(`${locale}: billing, payment, notice and prepaid pages`, async () => {
      await step(`tour-billing-${locale}`, async () => {
        const { page } = b;
        await b.context.clearCookies();
        await page.goto('/login');
        await page.evaluate((l) => localStorage.setItem('quadmeter.locale', l), locale);
        await login(page, 'demo', 'admin', platform.demo.password);
        await visit(locale, '/tariffs', 'tariffs-page');
        await visit(locale, `/tariffs/${planId}`, 'tariff-plan-page');
        await visit(locale, '/billing/bill-runs', 'bill-runs-page');
        await visit(locale, '/billing/bills', 'bills-page');
        await visit(locale, '/billing/review', 'bill-review-page');
        await visit(locale, '/billing/settings', 'billing-settings-page');
        await visit(locale, '/counter', 'counter-page');
        await visit(locale, '/payments', 'payments-page');
        await visit(locale, '/payment-reversals', 'reversals-page');
        await visit(locale, '/payment-orders', 'payment-orders-page');
        await visit(locale, '/notify/templates', 'notify-templates-page');
        await visit(locale, '/notify/deliveries', 'notify-deliveries-page');
        await visit(locale, '/notify/settings', 'notify-settings-page');
        await visit(locale, '/prepaid/board', 'prepaid-board-page');
        await visit(locale, '/prepaid/policy', 'prepaid-policy-page');
        await visit(locale, '/prepaid/holidays', 'prepaid-holidays-page');
        await logout(page);
      });
    });

    it(`${locale}: operator pages`, async () => {
      await step(`tour-operator-${locale}`, async () => {
        const { page } = b;
        await b.context.clearCookies();
        await login(page, 'platform', 'operator', platform.operator.password);
        await visit(locale, '/', 'perm-chip');
        await visit(locale, '/tenants', 'tenant-row');
        await openDialog(locale, sel('tenant-create'), 'tenant-dialog');
        await visit(locale, '/audit', 'audit-row');
        await logout(page);
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
