import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CJT188_TYPES, Cjt188Meter } from '../../core/simulators/src/meters/cjt188-meter.ts';
import { NbiotPusher } from '../../core/simulators/src/pushers/nbiot-pusher.ts';
import { ManualClock } from '../../core/simulators/src/time/clock.ts';
import { type Client, loggedIn } from '../../core/server/test/client.ts';
import { startTestPlatform } from '../../core/server/test/platform.ts';
import { dialog, login, openMenu, sel, switchLanguage } from './support/admin-ui.ts';
import { type BrowserSession, openBrowser, screenshotSteps } from './support/browser.ts';
import { ensureAdminBuilt } from './support/build-admin.ts';

// The unmatched-uplinks inbox in Chromium: two NB-IoT devices no meter names push through CTWing;
// one uplink is assigned to a meter picked by its asset number, the other dismissed after the
// confirmation. Both are checked through the API (status, the meter's new route).

type Platform = Awaited<ReturnType<typeof startTestPlatform>>;
const TOKEN = 'ui-ctwing-token-0001';

describe('unmatched uplinks page in Chromium', () => {
  let platform: Platform;
  let b: BrowserSession;
  let api: Client;
  const { step, close } = screenshotSteps(() => b);
  let meterId = '';

  beforeAll(async () => {
    ensureAdminBuilt();
    platform = await startTestPlatform();
    b = await openBrowser(platform.baseUrl);
    api = await loggedIn(platform.baseUrl, 'demo', 'admin', platform.demo.password);
    const on = await api.put('/api/v1/plugins/transport-nbiot/tenant', {
      enabled: true,
      settings: { ctwingToken: TOKEN },
    });
    expect(on.status).toBe(200);
    const tenantId: string = (await api.get('/api/v1/auth/me')).body.tenant.id;
    const areas: { id: string; name: string }[] = (await api.get('/api/v1/areas')).body.items;
    const areaId = areas.find((a) => a.name === '1号楼')!.id;
    const meter = await api.post('/api/v1/meters', {
      kind: 'meter-water',
      assetNo: 'NBUI0001',
      commAddress: '00000000000091',
      protocol: 'cjt188',
      areaId,
    });
    expect(meter.status).toBe(201);
    meterId = meter.body.id;
    const clock = new ManualClock(Date.parse('2026-11-25T00:00:00Z'));
    const devices = ['862000000000001', '862000000000002'].map((imei, i) => ({
      imei,
      deviceId: String(400_000 + i),
      source: {
        kind: 'cjt188' as const,
        meter: new Cjt188Meter({
          type: CJT188_TYPES.coldWater,
          address: String(i + 1).padStart(14, '0'),
          clock,
          initialVolume: 3,
        }),
      },
    }));
    const url = `${platform.baseUrl}/hooks/transport-nbiot/ctwing/${tenantId}?token=${TOKEN}`;
    const results = await new NbiotPusher({ url, platform: 'ctwing', devices }).pushOnce();
    expect(results.map((r) => r.status)).toEqual([200, 200]);
  });

  afterAll(async () => {
    await close();
    await platform?.stop();
  });


  it('assigns one uplink to a meter and dismisses the other', async () => {
    const { page } = b;
    const row = (imei: string) => page.locator(`${sel('uplink-row')}[data-device="${imei}"]`);
    const uplinkOf = async (imei: string, status: string) =>
      (await api.get(`/api/v1/uplinks?status=${status}`)).body.items.find(
        (u: { deviceId: string }) => u.deviceId === imei,
      );

    await step('inbox', async () => {
      await login(page, platform.demo.tenant, platform.demo.username, platform.demo.password);
      await openMenu(page, 'uplinks', 'uplinks-page');
      await row('862000000000001').waitFor();
      await row('862000000000002').waitFor();
    });

    await step('assign', async () => {
      await page.click(sel('uplink-assign-862000000000001'));
      const dlg = dialog(page, 'uplink-assign-dialog');
      await dlg.locator(`${sel('uplink-meter')} input`).fill('NBUI0001');
      await page.locator('.el-select-dropdown__item:visible', { hasText: 'NBUI0001' }).click();
      await dlg.locator(sel('uplink-assign-confirm')).click();
      await expect.poll(() => row('862000000000001').count(), { timeout: 15_000 }).toBe(0);
      expect(await uplinkOf('862000000000001', 'assigned')).toMatchObject({ meterId, result: 'stored' });
      expect((await api.get(`/api/v1/meters/${meterId}/route`)).body.route).toMatchObject({
        via: 'nbiot',
        line: 'ctwing',
        address: '862000000000001',
      });
    });

    await step('dismiss', async () => {
      await page.click(sel('uplink-dismiss-862000000000002'));
      await page.locator('.el-message-box__btns .el-button--primary:visible').click();
      await expect.poll(() => row('862000000000002').count(), { timeout: 15_000 }).toBe(0);
      expect(await uplinkOf('862000000000002', 'dismissed')).toMatchObject({ status: 'dismissed' });
      await page.click(sel('uplink-status-dismissed'));
      await row('862000000000002').waitFor();
    });

    await step('english', async () => {
      await switchLanguage(page, 'en');
      await page.locator(sel('uplink-status-pending'), { hasText: 'Pending' }).waitFor();
      await switchLanguage(page, 'zh-CN');
      await page.locator(sel('uplink-status-pending'), { hasText: '待处理' }).waitFor();
    });
  });
});
