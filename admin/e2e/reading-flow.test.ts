import { randomBytes } from 'node:crypto';
import {
  Dlt645Device,
  ElectricityMeter,
  ManualClock,
  Rs485Bus,
  startTcpSerialServer,
  type TcpSerialServer,
} from '@quadmeter/simulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, loggedIn } from '../../core/server/test/client.ts';
import { startTestPlatform } from '../../core/server/test/platform.ts';
import { dialog, login, openMenu, pickOption, sel } from './support/admin-ui.ts';
import { field } from './support/archives-ui.ts';
import { type BrowserSession, openBrowser, screenshotSteps } from './support/browser.ts';
import { ensureAdminBuilt } from './support/build-admin.ts';

// An operator at the reading console: two DL/T 645 meters on a simulated RS-485 line behind a TCP
// serial server are read in real time through transport-rs485; the task page shows them read with
// the simulator's values, the meter page shows the reading, and a schedule is made through its form.

type Platform = Awaited<ReturnType<typeof startTestPlatform>>;
const poll = <T>(fn: () => Promise<T> | T, timeout = 20_000) => expect.poll(fn, { timeout });
const DAY = 86_400_000;

describe('reading console in Chromium', () => {
  let platform: Platform;
  let b: BrowserSession;
  let api: Client;
  let server: TcpSerialServer;
  let bus: Rs485Bus;
  const { step, close } = screenshotSteps(() => b);
  const tag = randomBytes(3).toString('hex');
  const meters: { assetNo: string; address: string; energy: ElectricityMeter; id?: string }[] = [];

  beforeAll(async () => {
    ensureAdminBuilt();
    platform = await startTestPlatform({}, { engine: { backoffMs: 50 } });
    b = await openBrowser(platform.baseUrl);
    api = await loggedIn(platform.baseUrl, 'demo', 'admin', platform.demo.password);
    bus = new Rs485Bus({ baud: 9600 });
    const now = Date.now();
    for (let i = 1; i <= 2; i++) {
      const address = `${String(Number.parseInt(tag, 16)).padStart(11, "0").slice(-11)}${i}`;
      const clock = new ManualClock(now - 2 * DAY);
      const energy = new ElectricityMeter({ address, clock, initialEnergy: 1000 * i });
      clock.set(now);
      energy.advance();
      bus.addDevice(new Dlt645Device(energy, 20));
      meters.push({ assetNo: `E2E-R-${tag}-${i}`, address, energy });
    }
    server = await startTcpSerialServer(bus);
    const enabled = await api.put('/api/v1/plugins/transport-rs485/tenant', { enabled: true, settings: {} });
    expect(enabled.status, JSON.stringify(enabled.body)).toBe(200);
    const areas = (await api.get('/api/v1/areas')).body.items as { id: string; name: string }[];
    const areaId = areas.find((a) => a.name === '阳光花园小区')!.id;
    for (const m of meters) {
      const made = await api.post('/api/v1/meters', {
        kind: 'meter-power',
        assetNo: m.assetNo,
        commAddress: m.address,
        protocol: 'dlt645-2007',
        areaId,
        route: { via: 'serial', line: `tcp://127.0.0.1:${server.port}`, baud: 9600, parity: 'E' },
      });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
      m.id = made.body.id;
      const installed = await api.post(`/api/v1/meters/${m.id}/install`, { initialReading: '0', reason: '新装' });
      expect(installed.status, JSON.stringify(installed.body)).toBe(200);
    }
  });

  afterAll(async () => {
    await close();
    await platform?.stop();
    await server?.close();
    bus?.close();
  });


  it('reads two meters in real time from the console and shows their values on the task page', async () => {
    const { page } = b;
    await step('reading-console', async () => {
      await login(page, platform.demo.tenant, platform.demo.username, platform.demo.password);
      await openMenu(page, 'reading-console', 'reading-console-page');
      await page.click(sel('reading-target-meters'));
      for (const m of meters) {
        await page.locator(`${sel('reading-meter-picker')} input`).fill(m.assetNo);
        await page.locator(`${sel('meter-option')}[data-label="${m.assetNo}"]:visible`).click();
        await page.locator(`${sel('reading-picked-meter')}[data-asset-no="${m.assetNo}"]`).waitFor();
      }
      await page.click(sel('reading-start'));
      await page.locator(sel('reading-task-page')).waitFor();
      await poll(() => page.locator(sel('reading-task-page-status')).getAttribute('data-status')).toBe('done');
      await poll(() => page.locator(sel('reading-count-success')).getAttribute('data-value')).toBe('2');
      expect(await page.locator(sel('reading-count-failed')).getAttribute('data-value')).toBe('0');
      await poll(() => page.locator(`${sel('reading-result-row')}[data-outcome="ok"]`).count()).toBe(2);
    });
    // the values on the page are the simulator's (DL/T 645 counts 2 decimals)
    const shown = await page
      .locator(sel('reading-result-value'))
      .evaluateAll((els) => els.map((e) => e.textContent?.trim() ?? ''));
    const expected = meters.map((m) => m.energy.snapshot().positive[0].toFixed(2));
    expect(shown.map(Number).sort()).toEqual(expected.map(Number).sort());

    await step('reading-meter-page', async () => {
      await page.click(`${sel('reading-result-row')}[data-asset-no="${meters[0].assetNo}"]`);
      await page.locator(sel('meter-readings')).waitFor();
      await poll(() => page.locator(`${sel('meter-reading-row')}[data-kind="realtime"]`).count()).toBe(1);
      expect(Number(await page.locator(sel('meter-reading-row')).first().getAttribute('data-value'))).toBe(
        Number(meters[0].energy.snapshot().positive[0].toFixed(2)),
      );
      expect(Number(await page.locator(sel('usage-chart')).getAttribute('data-days'))).toBeGreaterThan(28);
      // the status word the meter sent, decoded by the electricity meter type (DL/T 645-2007 word 3)
      expect(await page.locator(sel('meter-reading-status')).first().textContent()).toContain('继电器状态 闭合');
    });
  });

  it('lists the task in the history and makes a daily schedule through the form', async () => {
    const { page } = b;
    await step('reading-history', async () => {
      await openMenu(page, 'reading-history', 'reading-history-page');
      await poll(() => page.locator(sel('reading-task-row')).count()).toBe(1);
      expect(await page.locator(sel('reading-task-status')).first().textContent()).toContain('已完成');
    });
    await step('reading-schedule', async () => {
      await openMenu(page, 'reading-schedules', 'reading-schedules-page');
      await page.click(sel('schedule-create'));
      const dlg = dialog(page, 'schedule-form');
      await dlg.locator(field('schedule-name')).fill(`每日冻结-${tag}`);
      await dlg.getByText('单只表计').click();
      await dlg.locator(`${sel('schedule-meter')} input`).fill(meters[1].assetNo);
      await page.locator(`${sel('meter-option')}[data-label="${meters[1].assetNo}"]:visible`).click();
      await dlg.getByText('日冻结').click();
      await pickOption(page, dlg.locator(sel('schedule-frequency')), sel('schedule-frequency-daily'));
      await dlg.locator(`${sel('schedule-hour')} input`).fill('2');
      await dlg.locator(`${sel('schedule-minute')} input`).fill('30');
      await dlg.locator(sel('schedule-form-submit')).click();
      await page.locator(`${sel('schedule-row')}[data-name="每日冻结-${tag}"]`).waitFor();
    });
    const [s] = (await api.get('/api/v1/reading-schedules')).body.items;
    expect(s).toMatchObject({
      name: `每日冻结-${tag}`,
      target: 'meter',
      targetId: meters[1].id,
      kind: 'daily',
      frequency: 'daily',
      cron: '30 2 * * *',
      enabled: true,
    });
  });
});
