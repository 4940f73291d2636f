import { it } from 'vitest';
import { startTestPlatform } from '../../core/server/test/platform.ts';
import { openBrowser } from './support/browser.ts';
import { login } from './support/admin-ui.ts';
import { loggedIn } from '../../core/server/test/client.ts';

it('shots', async () => {
  const p = await startTestPlatform();
  const b = await openBrowser(p.baseUrl);
  const api = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
  const areas = (await api.get('/api/v1/areas')).body.items as { id: string; name: string }[];
  const areaId = areas.find((a) => a.name === '1号楼')!.id;
  const m = await api.post('/api/v1/meters', { kind: 'meter-water', assetNo: '300003', commAddress: '20260000000003', protocol: 'cjt188', control: 'valve', areaId, route: { via: 'serial', line: 'tcp://127.0.0.1:4001', baud: 2400, parity: 'E' } });
  await api.post(`/api/v1/meters/${m.body.id}/install`, { initialReading: '0', reason: '新装' });
  await api.put('/api/v1/control-settings', { approvalThreshold: 0, expiryMinutes: 60, maxAttempts: 1 });
  const role = await api.post('/api/v1/roles', { name: '控制员', permissions: ['meters.read', 'meters.control'] });
  await api.post('/api/v1/users', { username: 'controller', displayName: '控制员', password: 'Ctl-abcdef-123456', roleIds: [role.body.id] });
  const c = await loggedIn(p.baseUrl, 'demo', 'controller', 'Ctl-abcdef-123456');
  const batch = await c.post('/api/v1/command-batches', { target: 'meters', meterIds: [m.body.id], action: 'valve-close', reason: '欠费关阀' });
  console.log(batch.status, batch.body.status);
  await login(b.page, 'demo', 'admin', p.demo.password);
  await b.page.goto('/control/approvals');
  await b.page.waitForTimeout(2000);
  await b.page.screenshot({ path: `/tmp/ui-shots/approvals.png`, fullPage: true });
  const info = await b.page.evaluate(() => [...document.querySelectorAll('[data-test="batch-approve"]')].map((e) => {
    const chain = [];
    for (let x: Element | null = e; x && chain.length < 8; x = x.parentElement) chain.push(`${x.tagName}.${x.className} ${JSON.stringify(x.getBoundingClientRect())}`);
    return chain;
  }));
  console.log(JSON.stringify(info, null, 1));
  console.log(await b.page.locator('.el-table__header-wrapper th').allInnerTexts());
  await b.close();
  await p.stop();
});
