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
import { sel } from './support/admin-ui.ts';
import type { BrowserSession } from './support/browser.ts';
import { ensureFieldBuilt } from './support/build-field.ts';
import { artifactsDir, keepShot, openPhone, pngImage } from './support/phone.ts';

// The field staff's app (抄表APP) on a phone-sized Chromium (390×844) against the whole platform: a
// CJ/T 188 water meter with a valve on a simulated RS-485 line behind a TCP serial server. A field
// user holding the built-in 抄表员 role, scoped to one residential area, logs in, finds the meter in
// their work list (nearest first; a meter of another area is not there and its page says so), reads
// it now, closes its valve (the simulator reports it closed), goes offline, enters a manual reading
// with a photo (queued on the phone; the page reopens from the service worker's cache while
// offline), comes back online and sees it synced: marked manual, with the
// photo. Every step's screenshot is kept (artifactsDir('field-app')).

type Platform = Awaited<ReturnType<typeof startTestPlatform>>;
const poll = <T>(fn: () => Promise<T> | T, timeout = 30_000) => expect.poll(fn, { timeout, interval: 250 });
const HERE = { latitude: 31.2304, longitude: 121.4737 };

describe('field app on a phone', () => {
  let platform: Platform;
  let b: BrowserSession;
  let api: Client;
  let fieldApi: Client;
  let server: TcpSerialServer;
  let bus: Rs485Bus;
  let sim: Cjt188Meter;
  let meterId = '';
  let outsideId = '';
  const tag = randomBytes(3).toString('hex');
  const user = { username: `field${tag}`, password: `Field-${tag}-Reader!` };
  const shots = artifactsDir('field-app');
  const shot = (name: string) => keepShot(b.page, shots, name);

  beforeAll(async () => {
    ensureFieldBuilt();
    platform = await startTestPlatform();
    api = await loggedIn(platform.baseUrl, 'demo', 'admin', platform.demo.password);
    bus = new Rs485Bus({ baud: 2400 });
    const prefix = String(Number.parseInt(tag, 16)).padStart(13, '0').slice(-13);
    sim = new Cjt188Meter({ type: CJT188_TYPES.coldWater, address: `${prefix}1`, clock: new ManualClock(Date.now()), initialVolume: 10 });
    bus.addDevice(new Cjt188Device(sim, 20));
    server = await startTcpSerialServer(bus);
    expect((await api.put('/api/v1/plugins/transport-rs485/tenant', { enabled: true, settings: {} })).status).toBe(200);
    const areas = (await api.get('/api/v1/areas')).body.items as { id: string; name: string; path: string[] }[];
    const sun = areas.find((a) => a.name === '阳光花园小区')!;
    const elsewhere = areas.find((a) => !a.path.includes(sun.id))!;
    const add = async (assetNo: string, areaId: string, address: string) => {
      const made = await api.post('/api/v1/meters', {
        kind: 'meter-water',
        assetNo,
        commAddress: address,
        protocol: 'cjt188',
        control: 'valve',
        areaId,
        location: '3栋2单元101',
        route: { via: 'serial', line: `tcp://127.0.0.1:${server.port}`, baud: 2400, parity: 'E' },
      });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
      const installed = await api.post(`/api/v1/meters/${made.body.id}/install`, { initialReading: '0', reason: '新装' });
      expect(installed.status, JSON.stringify(installed.body)).toBe(200);
      return made.body.id as string;
    };
    meterId = await add(`E2E-F-${tag}-1`, sun.id, sim.address);
    outsideId = await add(`E2E-F-${tag}-X`, elsewhere.id, `${prefix}9`);
    // the meter stands 30 m from the phone
    await platform.running.platform.database.sql`update meters set lat = ${HERE.latitude + 0.00027}, lng = ${HERE.longitude}
      where id = ${meterId}`;
    const roles = (await api.get('/api/v1/roles')).body.items as { id: string; builtinKey: string | null }[];
    const reader = roles.find((r) => r.builtinKey === 'reader')!;
    const made = await api.post('/api/v1/users', {
      username: user.username,
      displayName: '抄表员小王',
      password: user.password,
      roleIds: [reader.id],
      areaIds: [sun.id],
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    fieldApi = await loggedIn(platform.baseUrl, 'demo', user.username, user.password);
    b = await openPhone(platform.baseUrl, HERE);
  });

  afterAll(async () => {
    await b?.close();
    await platform?.stop();
    await server?.close();
    bus?.close();
    console.log(`field app screenshots kept in ${shots}`);
  });

  it('logs in, reads now, closes a valve, enters a reading with a photo offline and sees it sync', async () => {
    const { page, context } = b;
    // log in: the app sends an unknown session to its login page
    await page.goto('/field/');
    await page.waitForURL(/\/field\/login/);
    await page.fill(sel('login-tenant'), platform.demo.tenant);
    await page.fill(sel('login-username'), user.username);
    await page.fill(sel('login-password'), user.password);
    await shot('01-login');
    await page.click(sel('login-submit'));
    await page.locator(sel('work-page')).waitFor();

    // my work: the meter of my area, nearest first with its distance; the other area's is not listed
    const mine = page.locator(`${sel('work-item')}[data-id="${meterId}"]`);
    await mine.waitFor();
    expect(await page.locator(`${sel('work-item')}[data-id="${outsideId}"]`).count()).toBe(0);
    expect(await mine.locator('[data-state="not-read-today"]').count()).toBe(1);
    await page.click(sel('near-me'));
    await poll(() => mine.locator(sel('work-distance')).textContent()).toBe('30 m');
    await shot('02-work-list');

    // the meter's card; read now through the transport and the simulator
    await mine.click();
    await page.locator(`${sel('meter-page')}[data-id="${meterId}"]`).waitFor();
    await page.click(sel('read-now'));
    await poll(() => page.locator(sel('read-state')).getAttribute('data-state'), 60_000).toBe('done');
    const [latest] = (await fieldApi.get(`/api/v1/meters/${meterId}/readings?kind=realtime`)).body.items;
    expect(Number(latest.value)).toBe(Math.round(sim.volume * 100) / 100);
    await page.locator(`${sel('reading-row')}[data-kind="realtime"][data-value="${latest.value}"]`).waitFor();
    await shot('03-read-now');

    // close the valve: a reason is required, then the command is confirmed by the meter's status bits
    await page.click(sel('control-valve-close'));
    await page.click(sel('control-confirm'));
    await page.locator(sel('control-reason-error')).waitFor();
    expect((await api.get(`/api/v1/meters/${meterId}/commands`)).body.items).toEqual([]);
    await page.fill(sel('control-reason'), '现场关阀');
    await shot('04-close-valve-confirm');
    await page.click(sel('control-confirm'));
    const row = page.locator(`${sel('command-row')}[data-action="valve-close"]`);
    await poll(() => row.getAttribute('data-status'), 60_000).toBe('confirmed');
    expect(sim.valve).toBe('closed');
    const [cmd] = (await api.get(`/api/v1/meters/${meterId}/commands`)).body.items;
    expect(cmd).toMatchObject({ action: 'valve-close', status: 'confirmed', reason: '现场关阀', requestedByName: '抄表员小王' });
    await page.locator(`${sel('meter-state')}[data-state="valve-closed"]`).waitFor();
    await shot('05-valve-closed');

    // the service worker keeps the app and the pages opened
    await poll(() => page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? '')).toMatch(/\/field\/sw\.js$/);
    // offline: the reading with its photo waits on the phone
    await context.setOffline(true);
    await page.locator(sel('offline-banner')).waitFor();
    const photo = pngImage(16, 16, [200, 40, 40]);
    await page.fill(sel('manual-value'), '15.5');
    await page.fill(sel('manual-note'), '表盘清晰');
    await page.setInputFiles(sel('manual-photo-input'), { name: 'dial.png', mimeType: 'image/png', buffer: photo });
    await page.click(sel('manual-submit'));
    const waiting = page.locator(sel('pending-reading'));
    await waiting.waitFor();
    expect(await page.locator(sel('pending-count')).getAttribute('data-value')).toBe('1');
    const key = (await waiting.getAttribute('data-key')) ?? '';
    expect(key).toMatch(/^[0-9a-f-]{36}$/);
    expect((await fieldApi.get(`/api/v1/field/meters/${meterId}`)).body.manual).toEqual([]);
    await shot('06-offline-queued');
    // still offline, the meter page opens again from the cache, the reading still waiting
    await page.reload();
    await page.locator(`${sel('meter-page')}[data-id="${meterId}"] ${sel('meter-asset-no')}`).waitFor();
    await page.locator(`${sel('pending-reading')}[data-key="${key}"]`).waitFor();
    await page.locator(sel('offline-banner')).waitFor();
    await shot('06b-offline-reopened');

    // back online: it syncs once, shown as manual with the photo
    await context.setOffline(false);
    const entry = page.locator(`${sel('manual-entry')}[data-key="${key}"]`);
    await entry.waitFor({ timeout: 30_000 });
    expect(await entry.getAttribute('data-value')).toBe('15.5');
    await poll(() => entry.locator(sel('manual-photo')).evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(16);
    await page.locator(`${sel('reading-row')}[data-kind="manual"][data-value="15.5"]`).waitFor();
    await poll(() => page.locator(sel('pending-reading')).count()).toBe(0);
    expect(await page.locator(sel('pending-count')).count()).toBe(0);
    const card = (await fieldApi.get(`/api/v1/field/meters/${meterId}`)).body;
    expect(card.manual).toEqual([
      expect.objectContaining({ key, value: '15.5', note: '表盘清晰', hasPhoto: true, photoType: 'image/png', enteredByName: '抄表员小王' }),
    ]);
    const res = await fetch(`${platform.baseUrl}/api/v1/field/manual-readings/${key}/photo`, { headers: { cookie: fieldApi.cookie } });
    expect(Buffer.from(await res.arrayBuffer()).equals(photo)).toBe(true);
    await shot('07-synced');
  });

  it('a field user cannot act outside their areas: the page says not found, the API refuses', async () => {
    const { page } = b;
    await page.goto(`/field/meters/${outsideId}`);
    await page.locator(sel('meter-error')).waitFor();
    expect(await page.locator(sel('read-now')).count()).toBe(0);
    await shot('08-outside-area');
    for (const r of [
      await fieldApi.post(`/api/v1/field/meters/${outsideId}/manual-readings`, { key: crypto.randomUUID(), value: '1' }),
      await fieldApi.post(`/api/v1/meters/${outsideId}/commands`, { action: 'valve-close', reason: 'x' }),
      await fieldApi.post('/api/v1/reading-tasks', { target: 'meter', meterId: outsideId, kind: 'realtime' }),
    ]) {
      expect(r.status).toBe(404);
      expect(r.body.error.code).toBe('RESOURCE_NOT_FOUND');
    }
  });
});
