import { startTestPlatform } from '../../core/server/test/platform.ts';
import { openBrowser } from './support/browser.ts';
import { login } from './support/admin-ui.ts';
import { loggedIn } from '../../core/server/test/client.ts';

import { it } from 'vitest';
it('shots', async () => {
const p = await startTestPlatform();
const b = await openBrowser(p.baseUrl);
const api = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
const areas = (await api.get('/api/v1/areas')).body.items as { id: string; name: string }[];
const areaId = areas.find((a) => a.name === '1号楼')!.id;
const m = await api.post('/api/v1/meters', { kind: 'meter-water', assetNo: '300003', commAddress: '20260000000003', protocol: 'cjt188', control: 'valve', areaId, route: { via: 'serial', line: 'tcp://127.0.0.1:4001', baud: 2400, parity: 'E' } });
await api.post(`/api/v1/meters/${m.body.id}/install`, { initialReading: '0', reason: '新装' });
await login(b.page, 'demo', 'admin', p.demo.password);
for (const [name, path] of [['console', '/control'], ['meter', `/meters/${m.body.id}`], ['commands', '/control/commands'], ['settings', '/control/settings']]) {
  await b.page.goto(path);
  await b.page.waitForTimeout(1500);
  await b.page.screenshot({ path: `/tmp/ui-shots/${name}.png`, fullPage: true });
}
if (true) {
  await b.page.goto(`/meters/${m.body.id}`);
  await b.page.click('[data-test="meter-control-valve-close"]');
  await b.page.waitForTimeout(800);
  await b.page.screenshot({ path: `/tmp/ui-shots/dialog.png` });
}
await b.close();
await p.stop();
});
