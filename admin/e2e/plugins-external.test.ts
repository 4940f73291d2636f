import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform } from '../../core/server/test/platform.ts';
import { login, openMenu, sel, switchLanguage } from './support/admin-ui.ts';
import { type BrowserSession, dropArtifacts, openBrowser, withScreenshot } from './support/browser.ts';
import { ensureAdminBuilt } from './support/build-admin.ts';

// The plugins page with external plugins: a running one carries the "external" tag, a broken one
// shows why it was disabled, in the reader's language.

type Platform = Awaited<ReturnType<typeof startTestPlatform>>;

const notifier = (name: string, extra: string) => `export default {
  kind: 'notifier', id: 'notifier-${name}', version: '1.0.0', apiVersion: 1,
  title: { 'zh-CN': '${name}', en: '${name}' }, channel: '${name}',
  send: async () => ({ duplicate: false }), classify: () => 'drop', ${extra}
};
`;

describe('external plugins on the plugins page in Chromium', () => {
  let platform: Platform;
  let b: BrowserSession;
  let root: string;
  let failed = false;

  beforeAll(async () => {
    ensureAdminBuilt();
    root = await mkdtemp(join(tmpdir(), 'qm-ext-ui-'));
    for (const [name, extra] of [
      ['pager', ''],
      ['broken', "setup() { throw new Error('licence missing'); },"],
    ]) {
      await mkdir(join(root, name));
      await writeFile(join(root, name, 'index.mjs'), notifier(name, extra));
    }
    await writeFile(join(root, 'quadmeter.config.json'), JSON.stringify({ plugins: ['./pager/index.mjs', './broken/index.mjs'] }));
    platform = await startTestPlatform({ QUADMETER_CONFIG: join(root, 'quadmeter.config.json') });
    b = await openBrowser(platform.baseUrl);
  });

  afterAll(async () => {
    await b?.close();
    if (b && !failed) await dropArtifacts(b);
    await platform?.stop();
    await rm(root, { recursive: true, force: true });
  });

  it('tags external plugins and shows the reason a broken one is disabled, in zh-CN and en', async () => {
    const { page } = b;
    try {
      await withScreenshot(b, 'external-plugins', async () => {
        await login(page, platform.demo.tenant, platform.demo.username, platform.demo.password);
        await openMenu(page, 'plugins', 'plugins-page');
        const row = (id: string) => page.locator(`tr:has(${sel('plugin-row')}[data-plugin-id="${id}"])`);
        await row('notifier-broken').waitFor();
        expect(await row('notifier-pager').locator(sel('plugin-external')).textContent()).toContain(
          '外部插件：./pager/index.mjs',
        );
        expect(await row('notifier-pager').locator(sel('plugin-reason')).count()).toBe(0);
        expect(await row('notifier-broken').locator(sel('plugin-reason')).textContent()).toBe('插件初始化失败');
        expect(await row('meter-water').locator(sel('plugin-external')).count()).toBe(0);
        await switchLanguage(page, 'en');
        expect(await row('notifier-broken').locator(sel('plugin-reason')).textContent()).toBe(
          'The plugin failed while setting up',
        );
        await switchLanguage(page, 'zh-CN');
      });
    } catch (e) {
      failed = true;
      throw e;
    }
  });
});
