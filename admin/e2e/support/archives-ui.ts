import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { dialog, pickOption, sel } from './admin-ui.ts';

/** An input by its data-test: on the input itself (el-input) or on a wrapper (el-input-number). */
/** Waits until the dialog closed (saving can take longer than expect.poll's second). */
export async function dialogClosed(page: Page, name: string): Promise<void> {
  await dialog(page, name).waitFor({ state: 'hidden' });
}

export const field = (name: string) => `input${sel(name)}, ${sel(name)} input`;

/** Steps through the archive pages (customers, accounts, meters) by their `data-test` hooks. */

/** Picks an area in an el-tree-select (single choice) by its name. */
export async function pickArea(page: Page, select: Locator, optionTest: string, name: string): Promise<void> {
  await select.click();
  await page
    .locator('.el-tree-node__content:visible', { has: page.locator(`${sel(optionTest)}[data-area-name="${name}"]`) })
    .first()
    .click();
}

export interface NewCustomer {
  number: string;
  name: string;
  area: string;
  phone: string;
  household: number;
}

export async function createCustomer(page: Page, c: NewCustomer): Promise<void> {
  await page.click(sel('customer-create'));
  const dlg = dialog(page, 'customer-dialog');
  await dlg.locator(field('customer-form-number')).fill(c.number);
  await dlg.locator(field('customer-form-name')).fill(c.name);
  await pickArea(page, dlg.locator(sel('customer-form-area')), 'customer-form-area-option', c.area);
  await dlg.locator(field('customer-form-phone')).fill(c.phone);
  await dlg.locator(field('customer-form-household')).fill(String(c.household));
  await dlg.locator(field('customer-form-household')).press('Tab');
  await dlg.locator(sel('customer-form-submit')).click();
  await dialogClosed(page, 'customer-dialog');
}

export interface NewAccount {
  number: string;
  deposit: string;
  mode: 'prepaid' | 'postpaid';
}

export async function createAccount(page: Page, a: NewAccount): Promise<void> {
  await page.click(sel('account-create'));
  const dlg = dialog(page, 'account-dialog');
  await dlg.locator(field('account-form-number')).fill(a.number);
  await dlg.locator(sel(`account-mode-${a.mode}`)).click();
  await dlg.locator(field('account-form-deposit')).fill(a.deposit);
  await dlg.locator(sel('account-form-submit')).click();
  await dialogClosed(page, 'account-dialog');
  await page.locator(`${sel('account-row')}[data-number="${a.number}"]`).waitFor();
}

export interface NewMeter {
  kind: string;
  assetNo: string;
  address: string;
  line: string;
}

/** Fills the open meter dialog (kind, asset number, address, a serial route) and saves it. */
export async function fillMeterForm(page: Page, m: NewMeter): Promise<void> {
  const dlg = dialog(page, 'meter-dialog');
  await pickOption(page, dlg.locator(sel('meter-form-kind')), sel(`meter-kind-${m.kind}`));
  await dlg.locator(field('meter-form-asset-no')).fill(m.assetNo);
  await dlg.locator(field('meter-form-address')).fill(m.address);
  await dlg.locator(sel('meter-via-serial')).click();
  await dlg.locator(field('meter-form-line')).fill(m.line);
  await dlg.locator(sel('meter-form-submit')).click();
  await dialogClosed(page, 'meter-dialog');
}

/** Runs a lifecycle dialog on the meter page: its reading (if any) and reason, then save. */
export async function lifecycle(page: Page, action: string, reading: string | null, reason: string): Promise<void> {
  await page.click(sel(`meter-action-${action}`));
  const dlg = dialog(page, `meter-${action}-dialog`);
  if (reading !== null) await dlg.locator(field('lifecycle-reading')).fill(reading);
  await dlg.locator(field('lifecycle-reason')).fill(reason);
  await dlg.locator(sel(`meter-${action}-submit`)).click();
  await dialogClosed(page, `meter-${action}-dialog`);
}

export async function meterStatus(page: Page): Promise<string | null> {
  return await page.locator(sel('meter-detail-status')).getAttribute('data-status');
}

/** The lifecycle events on the meter page, newest first: kind, final and initial reading. */
export async function meterEvents(page: Page): Promise<{ kind: string; final: string; initial: string }[]> {
  await expect.poll(() => page.locator(`${sel('meter-event-table')} .el-loading-mask:visible`).count()).toBe(0);
  return await page.locator(`${sel('meter-event-table')} .el-table__body tr`).evaluateAll((rows) =>
    rows.map((r) => ({
      kind: r.querySelector('[data-test="meter-event-row"]')?.getAttribute('data-kind') ?? '',
      final: r.querySelector('[data-test="meter-event-final"]')?.textContent?.trim() ?? '',
      initial: r.querySelector('[data-test="meter-event-initial"]')?.textContent?.trim() ?? '',
    })),
  );
}
