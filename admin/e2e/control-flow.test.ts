import { randomBytes } from 'node:crypto';
import {
  CJT188_TYPES,
  Cjt188Device,
  Cjt188Meter,
  ManualClock,
  Rs485Bus,
  startTcpSerialServer,
  type TcpSerialServer,
} from '@quadmeter/simulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, loggedIn } from '../../core/server/test/client.ts';
import { startTestPlatform } from '../../core/server/test/platform.ts';
import { dialog, login, logout, openMenu, sel } from './support/admin-ui.ts';
import { field } from './support/archives-ui.ts';
import { type BrowserSession, openBrowser, screenshotSteps } from './support/browser.ts';
import { ensureAdminBuilt } from './support/build-admin.ts';

// Remote control in Chromium: three CJ/T 188 water meters with valves on a simulated RS-485 line
// behind a TCP serial server (transport-rs485). The admin closes one valve from its meter page and
// watches the command reach its final status (the valve read back closed); then closes the valves of
// the other two from the console, a batch cut above the tenant's approval threshold of 1: it waits in
// the approval queue, where its requester cannot decide it, and a second user holding
// meters.control.approve approves it; its commands then close both valves.

type Platform = Awaited<ReturnType<typeof startTestPlatform>>;
const poll = <T>(fn: () => Promise<T> | T, timeout = 30_000) => expect.poll(fn, { timeout, interval: 250 });

describe('remote control in Chromium', () => {
  let platform: Platform;
  let b: BrowserSession;
  let api: Client;
  let server: TcpSerialServer;
  let bus: Rs485Bus;
  const { step, close } = screenshotSteps(() => b);
  const tag = randomBytes(3).toString('hex');
  const approver = { username: `approver${tag}`, password: `Approve-${tag}-Control!` };
  const meters: { assetNo: string; sim: Cjt188Meter; id: string }[] = [];

  beforeAll(async () => {
    ensureAdminBuilt();
    platform = await startTestPlatform();
    b = await openBrowser(platform.baseUrl);
    api = await loggedIn(platform.baseUrl, 'demo', 'admin', platform.demo.password);
    bus = new Rs485Bus({ baud: 2400 });
    const clock = new ManualClock(Date.now());
    const prefix = String(Number.parseInt(tag, 16)).padStart(13, '0').slice(-13);
    for (let i = 1; i <= 3; i++) {
      const sim = new Cjt188Meter({ type: CJT188_TYPES.coldWater, address: `${prefix}${i}`, clock, initialVolume: 10 * i });
      bus.addDevice(new Cjt188Device(sim, 20));
      meters.push({ assetNo: `E2E-C-${tag}-${i}`, sim, id: '' });
    }
    server = await startTcpSerialServer(bus);
    const enabled = await api.put('/api/v1/plugins/transport-rs485/tenant', { enabled: true, settings: {} });
    expect(enabled.status, JSON.stringify(enabled.body)).toBe(200);
    const areas = (await api.get('/api/v1/areas')).body.items as { id: string; name: string }[];
    const areaId = areas.find((a) => a.name === '阳光花园小区')!.id;
    for (const m of meters) {
      const made = await api.post('/api/v1/meters', {
        kind: 'meter-water',
        assetNo: m.assetNo,
        commAddress: m.sim.address,
        protocol: 'cjt188',
        control: 'valve',
        areaId,
        route: { via: 'serial', line: `tcp://127.0.0.1:${server.port}`, baud: 2400, parity: 'E' },
      });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
      m.id = made.body.id;
      const installed = await api.post(`/api/v1/meters/${m.id}/install`, { initialReading: '0', reason: '新装' });
      expect(installed.status, JSON.stringify(installed.body)).toBe(200);
    }
    const settings = await api.put('/api/v1/control-settings', { approvalThreshold: 1, expiryMinutes: 60, maxAttempts: 3 });
    expect(settings.status, JSON.stringify(settings.body)).toBe(200);
    const role = await api.post('/api/v1/roles', {
      name: `控制审批-${tag}`,
      permissions: ['meters.read', 'meters.control.approve'],
    });
    expect(role.status, JSON.stringify(role.body)).toBe(201);
    const user = await api.post('/api/v1/users', {
      username: approver.username,
      displayName: '审批员',
      password: approver.password,
      roleIds: [role.body.id],
    });
    expect(user.status, JSON.stringify(user.body)).toBe(201);
  });

  afterAll(async () => {
    await close();
    await platform?.stop();
    await server?.close();
    bus?.close();
  });


  it('closes a valve from the meter page and shows the command reach its final status', async () => {
    const { page } = b;
    const [m] = meters;
    await step('control-meter-page', async () => {
      await login(page, platform.demo.tenant, platform.demo.username, platform.demo.password);
      await page.goto(`/meters/${m.id}`);
      await page.locator(sel('meter-control')).waitFor();
      // a valve meter offers the valve actions, never the relay ones
      await page.locator(sel('meter-control-valve-close')).waitFor();
      expect(await page.locator(sel('meter-control-relay-trip')).count()).toBe(0);
      await page.click(sel('meter-control-valve-close'));
      const dlg = dialog(page, 'control-command-dialog');
      // the reason is required: nothing is sent without it
      await dlg.locator(sel('control-command-submit')).click();
      await dlg.locator('.el-form-item__error').waitFor();
      expect((await api.get(`/api/v1/meters/${m.id}/commands`)).body.items).toEqual([]);
      await dlg.locator(field('control-reason')).fill('欠费关阀');
      await dlg.locator(sel('control-command-submit')).click();
      const row = page.locator(`${sel('command-row')}[data-action="valve-close"]`);
      await row.waitFor();
      await poll(() => row.getAttribute('data-status')).toBe('confirmed');
    });
    expect(m.sim.valve).toBe('closed');
    const [cmd] = (await api.get(`/api/v1/meters/${m.id}/commands`)).body.items;
    // CJ/T 188 answers valve control with its status bits: the valve is read back, so verified
    expect(cmd).toMatchObject({ action: 'valve-close', status: 'confirmed', verified: true, reason: '欠费关阀', source: 'operator' });
    // the tag says whether the valve was read back (已确认) or only acknowledged (已确认（未核实）)
    expect(await page.locator(`${sel('command-row')}[data-id="${cmd.id}"]`).getAttribute('data-verified')).toBe(String(cmd.verified));
    expect((await page.locator(sel('command-status')).first().textContent())?.trim()).toBe(
      cmd.verified ? '已确认' : '已确认（未核实）',
    );

    await step('control-history', async () => {
      await openMenu(page, 'control-commands', 'control-commands-page');
      await page.locator(`${sel('command-row')}[data-id="${cmd.id}"][data-status="confirmed"]`).waitFor();
    });
  });

  it('holds a batch above the threshold for approval by a second user, then sends it', async () => {
    const { page } = b;
    const reason = `批量关阀-${tag}`;
    const targets = meters.slice(1);
    let batchId = '';
    await step('control-console', async () => {
      await openMenu(page, 'control-console', 'control-console-page');
      await page.click(sel('control-target-meters'));
      for (const m of targets) {
        await page.locator(`${sel('control-meter-picker')} input`).fill(m.assetNo);
        await page.locator(`${sel('meter-option')}[data-label="${m.assetNo}"]:visible`).click();
        await page.locator(`${sel('control-picked-meter')}[data-asset-no="${m.assetNo}"]`).waitFor();
      }
      await page.click(sel('control-action'));
      // valve meters only: no relay action is offered
      await page.locator(`${sel('control-action-valve-close')}:visible`).waitFor();
      expect(await page.locator(`${sel('control-action-relay-trip')}:visible`).count()).toBe(0);
      await page.locator(`${sel('control-action-valve-close')}:visible`).click();
      await page.locator(field('control-reason')).fill(reason);
      await page.click(sel('control-preview'));
      const dlg = dialog(page, 'control-confirm-dialog');
      const summary = dlg.locator(sel('control-confirm-summary'));
      await summary.waitFor();
      expect(await summary.getAttribute('data-meters')).toBe('2');
      expect(await dlg.locator(sel('control-confirm-approval')).getAttribute('data-needs-approval')).toBe('true');
      await dlg.locator(sel('control-confirm-submit')).click();
      await page.locator(sel('control-batch-page')).waitFor();
      await poll(() => page.locator(sel('batch-page-status')).getAttribute('data-status')).toBe('pending_approval');
      batchId = new URL(page.url()).pathname.split('/').pop() ?? '';
    });
    // nothing was sent while it waits
    expect(targets.map((m) => m.sim.valve)).toEqual(['open', 'open']);

    await step('control-approvals-own', async () => {
      // the requester sees it in the queue but cannot decide it
      await openMenu(page, 'control-approvals', 'control-approvals-page');
      await page.locator(`${sel('batch-row')}[data-id="${batchId}"]`).waitFor();
      expect(await page.locator(`${sel('batch-approve')}[data-id="${batchId}"]`).count()).toBe(0);
      await logout(page);
    });

    await step('control-approvals-approve', async () => {
      await login(page, platform.demo.tenant, approver.username, approver.password);
      // the approver holds no meters.control: no console in the menu
      expect(await page.locator(sel('menu-control-console')).count()).toBe(0);
      await openMenu(page, 'control-approvals', 'control-approvals-page');
      await page.click(`${sel('batch-approve')}[data-id="${batchId}"]`);
      const dlg = dialog(page, 'control-decide-dialog');
      await dlg.locator(`textarea${sel('control-decide-note')}, ${sel('control-decide-note')} textarea`).fill('同意');
      await dlg.locator(sel('control-decide-submit')).click();
      await poll(() => page.locator(`${sel('batch-row')}[data-id="${batchId}"]`).count()).toBe(0);
      await page.goto(`/control/batches/${batchId}`);
      await poll(() => page.locator(sel('batch-page-status')).getAttribute('data-status')).toBe('released');
      expect(await page.locator(sel('batch-page-decided-by')).textContent()).toContain('审批员');
      await poll(() => page.locator(sel('batch-count-confirmed')).getAttribute('data-value')).toBe('2');
      await poll(() => page.locator(`${sel('command-row')}[data-status="confirmed"]`).count()).toBe(2);
    });
    expect(targets.map((m) => m.sim.valve)).toEqual(['closed', 'closed']);
    const batch = (await api.get(`/api/v1/command-batches/${batchId}`)).body;
    expect(batch).toMatchObject({ status: 'released', reason, meterCount: 2, decidedByName: '审批员', decisionNote: '同意' });
  });
});
