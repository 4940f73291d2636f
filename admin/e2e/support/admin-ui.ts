import { expect } from 'vitest';
import type { Locator, Page } from 'playwright-core';

/** Steps a person takes in the admin, by the `data-test` hooks the pages expose. */
export const sel = (name: string) => `[data-test="${name}"]`;

export async function login(page: Page, tenant: string, username: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.fill(sel('login-tenant'), tenant);
  await page.fill(sel('login-username'), username);
  await page.fill(sel('login-password'), password);
  await page.click(sel('login-submit'));
  await page.waitForSelector(sel('main-layout'));
}

export async function logout(page: Page): Promise<void> {
  await page.click(sel('user-menu-trigger'));
  await page.click(sel('logout'));
  await page.waitForSelector(sel('login-submit'));
}

export async function openMenu(page: Page, name: string, pageMarker: string): Promise<void> {
  await page.click(sel(`menu-${name}`));
  await page.waitForSelector(sel(pageMarker));
}

/** The visible dialog (Element Plus keeps closed ones in the DOM). */
export function dialog(page: Page, name: string): Locator {
  return page.locator(`${sel(name)}:visible`);
}

export async function closeDialog(page: Page, name: string): Promise<void> {
  await expect.poll(() => page.locator(`${sel(name)}:visible`).count()).toBe(0);
}

/** Picks an option of an el-select; options live in a popper attached to <body>. */
export async function pickOption(page: Page, select: Locator, option: string): Promise<void> {
  await select.click();
  await page.locator(`${option}:visible`).click();
}

export function areaNode(page: Page, name: string): Locator {
  return page.locator(`${sel('area-node')}[data-area-name="${name}"]`);
}

export async function addArea(page: Page, parent: string | null, name: string, kind?: string): Promise<void> {
  if (parent) {
    const node = areaNode(page, parent);
    await node.hover();
    await node.locator(sel('area-add-child')).click();
  } else {
    await page.click(sel('area-add-root'));
  }
  const dlg = dialog(page, 'area-dialog');
  await dlg.locator(sel('area-form-name')).fill(name);
  if (kind) await pickOption(page, dlg.locator(sel('area-form-kind')), sel(`area-kind-${kind}`));
  await dlg.locator(sel('area-form-submit')).click();
  await areaNode(page, name).waitFor();
  await closeDialog(page, 'area-dialog');
}

/** Names of the area nodes shown, and of the roots only. */
export async function areaNames(page: Page): Promise<{ all: string[]; roots: string[] }> {
  const all = await page.locator(sel('area-node')).evaluateAll((els) => els.map((e) => e.getAttribute('data-area-name') ?? ''));
  const roots = await page
    .locator(`${sel('area-tree')} > .el-tree-node > .el-tree-node__content ${sel('area-node')}`)
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-area-name') ?? ''));
  return { all, roots };
}

export async function createRole(page: Page, name: string, permissions: string[]): Promise<void> {
  await page.click(sel('role-create'));
  const dlg = dialog(page, 'role-dialog');
  await dlg.locator(sel('role-form-name')).fill(name);
  for (const key of permissions) {
    await dlg
      .locator('.el-tree-node__content', { has: page.locator(`${sel('perm-node')}[data-key="${key}"]`) })
      .locator('.el-checkbox')
      .click();
  }
  await dlg.locator(sel('role-form-submit')).click();
  await page.locator(`${sel('role-row')}[data-role-name="${name}"]`).waitFor();
  await closeDialog(page, 'role-dialog');
}

export interface NewUser {
  username: string;
  displayName: string;
  password: string;
  role: string;
  /** Area names making up the scope; empty = whole tenant. */
  areas: string[];
}

/** Closes an open select popper by clicking the dialog's title, as a person would click outside. */
async function closePopper(dlg: Locator): Promise<void> {
  await dlg.locator('.el-dialog__title').click();
}

export async function createUser(page: Page, u: NewUser): Promise<void> {
  await page.click(sel('user-create'));
  const dlg = dialog(page, 'user-dialog');
  await dlg.locator(sel('user-form-username')).fill(u.username);
  await dlg.locator(sel('user-form-display-name')).fill(u.displayName);
  await dlg.locator(sel('user-form-password')).fill(u.password);
  await pickOption(page, dlg.locator(sel('user-form-roles')), `${sel('user-form-role-option')}[data-role-name="${u.role}"]`);
  await closePopper(dlg);
  if (u.areas.length) {
    await dlg.locator(sel('user-form-areas')).click();
    for (const area of u.areas) {
      await page
        .locator('.el-tree-node__content:visible', {
          has: page.locator(`${sel('user-form-area-option')}[data-area-name="${area}"]`),
        })
        .locator('.el-checkbox')
        .click();
    }
    await closePopper(dlg);
  }
  await dlg.locator(sel('user-form-submit')).click();
  await page.locator(`${sel('user-row')}[data-username="${u.username}"]`).waitFor();
  await closeDialog(page, 'user-dialog');
}

export async function visibleUsernames(page: Page): Promise<string[]> {
  await page.waitForSelector(`${sel('user-table')} .el-table__body`);
  await expect.poll(() => page.locator(`${sel('user-table')} .el-loading-mask:visible`).count()).toBe(0);
  return await page
    .locator(sel('user-row'))
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-username') ?? ''));
}

/** The name of the node an area sits under in the rendered tree ('' for a root). */
export async function parentAreaName(page: Page, name: string): Promise<string> {
  return await areaNode(page, name).evaluate((el) => {
    const own = el.closest('.el-tree-node');
    const parent = own?.parentElement?.closest('.el-tree-node');
    return parent?.querySelector(':scope > .el-tree-node__content [data-area-name]')?.getAttribute('data-area-name') ?? '';
  });
}

/** Drags one area node onto another (HTML5 drag and drop, as el-tree implements it). */
export async function dragArea(page: Page, name: string, onto: string): Promise<void> {
  const source = page.locator('.el-tree-node__content', { has: areaNode(page, name) }).first();
  const target = page.locator('.el-tree-node__content', { has: areaNode(page, onto) }).first();
  await source.dragTo(target);
}

/** Picks a language in the header (or on the login page) and waits for the page to follow. */
export async function switchLanguage(page: Page, locale: 'zh-CN' | 'en'): Promise<void> {
  await page.click(sel('lang-switch'));
  await page.locator(`${sel(`lang-${locale}`)}:visible`).click();
  await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(locale);
}

/** The opacity a person sees: the element's own times that of every ancestor. */
export async function effectiveOpacity(locator: Locator): Promise<number> {
  return await locator.evaluate((el) => {
    let opacity = 1;
    for (let e: Element | null = el; e; e = e.parentElement) opacity *= Number(getComputedStyle(e).opacity);
    return opacity;
  });
}
