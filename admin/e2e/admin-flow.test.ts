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
  effectiveOpacity,
  login,
  logout,
  openMenu,
  parentAreaName,
  sel,
  switchLanguage,
  visibleUsernames,
} from './support/admin-ui.ts';
import { type BrowserSession, openBrowser, screenshotSteps } from './support/browser.ts';
import { ensureAdminBuilt } from './support/build-admin.ts';

type Platform = Awaited<ReturnType<typeof startTestPlatform>>;

describe('admin shell in Chromium', () => {
  let platform: Platform;
  let b: BrowserSession;
  const { step, close } = screenshotSteps(() => b);
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
    await close();
    await platform?.stop();
  });


  it('says in Chinese that the password is wrong, with the code apart', async () => {
    await step('login-failure', async () => {
      const { page } = b;
      await page.goto('/');
      await page.waitForURL(/\/login/);
      expect(await page.inputValue(sel('login-tenant'))).toBe('demo');
      await page.fill(sel('login-username'), platform.demo.username);
      await page.fill(sel('login-password'), 'not-the-password');
      await page.click(sel('login-submit'));
      const message = page.locator(sel('login-error-message'));
      await message.waitFor();
      expect(await message.textContent()).toBe('租户、用户名或密码错误');
      expect(await page.locator(sel('login-error-code')).textContent()).toBe('AUTH_INVALID_CREDENTIALS');
      // nothing English besides the code: the server's message stays out
      const alert = (await page.locator(sel('login-error')).innerText()).replace('AUTH_INVALID_CREDENTIALS', '');
      expect(alert).not.toMatch(/[A-Za-z]/);
    });
  });

  it('an admin builds a branch and a user scoped to it sees only that branch', async () => {
    const { page } = b;
    await step('admin-setup', async () => {
      await login(page, platform.demo.tenant, platform.demo.username, platform.demo.password);
      const chip = page.locator(`${sel('perm-chip')}[data-key="users.read"]`);
      expect(await chip.textContent()).toBe('查看用户');
      await chip.hover();
      await page.locator('.el-popper:visible', { hasText: /^users\.read$/ }).waitFor();
      const chipTexts = await page.locator(sel('perm-chip')).allTextContents();
      expect(chipTexts.filter((text) => /^[a-z-]+\.[a-z-]+$/.test(text.trim()))).toEqual([]);

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

  it('labels plugin settings in the current language', async () => {
    const { page } = b;
    await step('plugin-labels', async () => {
      await page.goto('/plugins');
      await page.click(sel('plugin-settings-meter-water'));
      const dlg = page.locator(`${sel('plugin-dialog')}:visible`);
      expect(await dlg.locator(sel('setting-label-meterDigits')).textContent()).toBe('计数器整数位数');
      expect(await dlg.locator(sel('setting-label-displayUnit')).textContent()).toBe('显示单位');
      await dlg.locator('.el-dialog__headerbtn').click();
      await switchLanguage(page, 'en');
      await page.click(sel('plugin-settings-meter-water'));
      const en = page.locator(`${sel('plugin-dialog')}:visible`);
      expect(await en.locator(sel('setting-label-meterDigits')).textContent()).toBe('Counter digits');
      expect(await en.locator('.el-dialog__title').textContent()).toBe('Plugin settings: Water meter');
      await en.locator('.el-dialog__headerbtn').click();
      await switchLanguage(page, 'zh-CN');
    });
  });

  it('shows built-in roles in the current language and custom roles as entered', async () => {
    const { page } = b;
    await step('role-language', async () => {
      await page.goto('/roles');
      const admin = page.locator(`${sel('role-row')}[data-builtin-key="admin"]`);
      expect(await admin.textContent()).toBe('系统管理员');
      await switchLanguage(page, 'en');
      expect(await admin.textContent()).toBe('Administrator');
      const row = page.locator('tr', { has: admin });
      expect(await row.locator(sel('role-description')).textContent()).toBe('All permissions');
      expect(await page.locator(`${sel('role-row')}[data-role-name="${names.role}"]`).textContent()).toBe(names.role);
      const descriptions = await page.locator(sel('role-description')).allTextContents();
      expect(descriptions.filter((text) => /[\u4e00-\u9fff]/.test(text))).toEqual([]);

      // editing shows the English name; saving it unchanged keeps the stored one
      await page.click(sel('role-edit-系统管理员'));
      const dlg = page.locator(`${sel('role-dialog')}:visible`);
      expect(await dlg.locator(sel('role-form-name')).inputValue()).toBe('Administrator');
      const saved = page.waitForResponse((r) => r.url().includes('/api/v1/roles/') && r.request().method() === 'PATCH');
      await dlg.locator(sel('role-form-submit')).click();
      const body = await (await saved).json();
      expect([body.name, body.description, body.builtinKey]).toEqual(['系统管理员', '全部权限', 'admin']);
      await expect.poll(() => admin.textContent()).toBe('Administrator');
      await switchLanguage(page, 'zh-CN');
    });
  });

  it('names audit actions and targets instead of codes and ids', async () => {
    const { page } = b;
    await step('audit-names', async () => {
      await page.goto('/audit');
      const created = page.locator('tr', { has: page.locator(`${sel('audit-row')}[data-action="users.create"]`) });
      await created.first().waitFor();
      expect(await created.first().locator(sel('audit-action-label')).textContent()).toBe('新建用户');
      const targets = await created.locator(sel('audit-target')).allTextContents();
      expect(targets.sort()).toEqual([names.inside, names.outside, names.scoped].map((n) => `用户：${n}`).sort());
      const all = await page.locator(sel('audit-target')).allTextContents();
      expect(all.filter((text) => /[0-9a-f]{8}-[0-9a-f]{4}-/.test(text))).toEqual([]);
      const actions = await page.locator(sel('audit-action-label')).allTextContents();
      expect(actions.filter((text) => /^[a-z-]+\.[a-z-]+$/.test(text.trim()))).toEqual([]);
    });
  });

  it('shows area row actions at rest, not faded out', async () => {
    const { page } = b;
    await step('area-actions', async () => {
      await page.goto('/areas');
      await areaNode(page, '演示水务集团').waitFor();
      await page.mouse.move(1, 1);
      const add = areaNode(page, '演示水务集团').locator(sel('area-add-child'));
      await expect.poll(() => effectiveOpacity(add)).toBeGreaterThanOrEqual(0.6);
      expect(await effectiveOpacity(areaNode(page, '演示水务集团').locator(sel('area-delete')))).toBeGreaterThanOrEqual(
        0.6,
      );
    });
  });
});
