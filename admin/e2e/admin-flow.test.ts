import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform } from '../../core/server/test/platform.ts';
import {
  addArea,
  areaNames,
  areaNode,
  createRole,
  createUser,
  dragArea,
  login,
  logout,
  openMenu,
  parentAreaName,
  sel,
  visibleUsernames,
} from './support/admin-ui.ts';
import { type BrowserSession, dropArtifacts, openBrowser, withScreenshot } from './support/browser.ts';
import { ensureAdminBuilt } from './support/build-admin.ts';

type Platform = Awaited<ReturnType<typeof startTestPlatform>>;

describe('admin shell in Chromium', () => {
  let platform: Platform;
  let b: BrowserSession;
  let failed = false;
  const tag = randomBytes(3).toString('hex');
  const names = {
    community: `E2E小区-${tag}`,
    building: `E2E楼-${tag}`,
    unit: `E2E单元-${tag}`,
    role: `E2E区域只读-${tag}`,
    scoped: `e2e-bldg-${tag}`,
    inside: `e2e-unit-${tag}`,
    outside: `e2e-comm-${tag}`,
  };
  const password = `Pw-${randomBytes(6).toString('hex')}`;

  beforeAll(async () => {
    ensureAdminBuilt();
    platform = await startTestPlatform();
    b = await openBrowser(platform.baseUrl);
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

  it('shows the API error code when sign-in fails', async () => {
    await step('login-failure', async () => {
      const { page } = b;
      await page.goto('/');
      await page.waitForURL(/\/login/);
      expect(await page.inputValue(sel('login-tenant'))).toBe('demo');
      await page.fill(sel('login-username'), platform.demo.username);
      await page.fill(sel('login-password'), 'not-the-password');
      await page.click(sel('login-submit'));
      const error = page.locator(sel('login-error'));
      await error.waitFor();
      expect(await error.textContent()).toContain('AUTH_INVALID_CREDENTIALS');
    });
  });

  it('an admin builds a branch and a user scoped to it sees only that branch', async () => {
    const { page } = b;
    await step('admin-setup', async () => {
      await login(page, platform.demo.tenant, platform.demo.username, platform.demo.password);
      await openMenu(page, 'areas', 'areas-page');
      await areaNode(page, '演示水务集团').waitFor();
      await addArea(page, null, names.community, 'community');
      await addArea(page, names.community, names.building);
      await addArea(page, names.building, names.unit);
      const tree = await areaNames(page);
      expect(tree.all).toEqual(expect.arrayContaining([names.community, names.building, names.unit, '1号楼']));
      expect(tree.roots).toContain(names.community);

      await openMenu(page, 'roles', 'roles-page');
      await createRole(page, names.role, ['areas.read', 'users.read']);

      await openMenu(page, 'users', 'users-page');
      const user = { displayName: 'E2E', password, role: names.role };
      await createUser(page, { ...user, username: names.scoped, areas: [names.building] });
      await createUser(page, { ...user, username: names.inside, areas: [names.unit] });
      await createUser(page, { ...user, username: names.outside, areas: [names.community] });
      await logout(page);
    });

    await step('scoped-user', async () => {
      await login(page, 'demo', names.scoped, password);
      expect(await page.locator(sel('menu-areas')).count()).toBe(1);
      expect(await page.locator(sel('menu-users')).count()).toBe(1);
      expect(await page.locator(sel('menu-roles')).count()).toBe(0);

      await openMenu(page, 'areas', 'areas-page');
      await areaNode(page, names.building).waitFor();
      await areaNode(page, names.unit).waitFor();
      const tree = await areaNames(page);
      expect(tree.roots).toEqual([names.building]);
      expect(tree.all.sort()).toEqual([names.building, names.unit].sort());
      expect(await page.locator(sel('area-add-root')).count()).toBe(0);

      await openMenu(page, 'users', 'users-page');
      await page.locator(`${sel('user-row')}[data-username="${names.inside}"]`).waitFor();
      expect((await visibleUsernames(page)).sort()).toEqual([names.inside, names.scoped].sort());

      await page.goto('/roles');
      await page.locator(sel('forbidden')).waitFor();
    });
  });

  it('moves an area by drag and drop and keeps the move after a reload', async () => {
    const { page } = b;
    await step('drag-move', async () => {
      await logout(page);
      await login(page, platform.demo.tenant, platform.demo.username, platform.demo.password);
      await openMenu(page, 'areas', 'areas-page');
      await areaNode(page, names.unit).waitFor();
      expect(await parentAreaName(page, names.unit)).toBe(names.building);
      const moved = page.waitForResponse((r) => r.url().includes('/api/v1/areas/') && r.request().method() === 'PATCH');
      await dragArea(page, names.unit, names.community);
      expect((await moved).status()).toBe(200);
      await expect.poll(() => parentAreaName(page, names.unit)).toBe(names.community);
      await page.reload();
      await areaNode(page, names.unit).waitFor();
      expect(await parentAreaName(page, names.unit)).toBe(names.community);
    });
  });

  it('enables a plugin for the tenant and saves a setting from its schema form', async () => {
    const { page } = b;
    await step('plugins', async () => {
      await openMenu(page, 'plugins', 'plugins-page');
      const row = page.locator(sel('plugin-row')).first();
      await row.waitFor();
      const id = (await row.getAttribute('data-plugin-id'))!;
      const toggle = page.locator(sel(`plugin-enabled-${id}`));
      const wasOn = (await toggle.getAttribute('class'))!.includes('is-checked');
      await toggle.click();
      await expect.poll(async () => (await toggle.getAttribute('class'))!.includes('is-checked')).toBe(!wasOn);

      await page.click(sel(`plugin-settings-${id}`));
      const dlg = page.locator(`${sel('plugin-dialog')}:visible`);
      const input = dlg.locator('.el-input-number input').first();
      const before = Number(await input.inputValue());
      await dlg.locator('.el-input-number').first().locator('.el-input-number__increase').click();
      const saved = page.waitForResponse((r) => r.url().endsWith(`/plugins/${id}/tenant`) && r.request().method() === 'PUT');
      await dlg.locator(sel('plugin-form-submit')).click();
      expect((await saved).status()).toBe(200);

      await page.reload();
      await page.locator(sel(`plugin-enabled-${id}`)).waitFor();
      expect((await page.locator(sel(`plugin-enabled-${id}`)).getAttribute('class'))!.includes('is-checked')).toBe(!wasOn);
      await page.click(sel(`plugin-settings-${id}`));
      const again = page.locator(`${sel('plugin-dialog')}:visible .el-input-number input`).first();
      await expect.poll(async () => Number(await again.inputValue())).toBe(before + 1);
    });
  });
});
