import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, loggedIn } from '../../core/server/test/client.ts';
import { startTestPlatform } from '../../core/server/test/platform.ts';
import { closeDialog, dialog, login, openMenu, pickOption, sel } from './support/admin-ui.ts';
import { type BrowserSession, openBrowser, screenshotSteps } from './support/browser.ts';
import { ensureAdminBuilt } from './support/build-admin.ts';

// The device archive pages in Chromium: a required custom field is defined, a concentrator and a
// collector are created through their forms (the field is asked for), the topology moves a collector
// and a meter under another concentrator, and a static group and a saved filter are saved. Every
// change is checked through the API.

type Platform = Awaited<ReturnType<typeof startTestPlatform>>;

/** The text input of a form field (el-input puts `data-test` on the input, el-input-number on its wrapper). */
/** Waits for a dialog to close after its save answered (a busy machine may take seconds). */
const closed = (page: Page, name: string) =>
  expect.poll(() => page.locator(`${sel(name)}:visible`).count(), { timeout: 15_000 }).toBe(0);

const input = (scope: Locator, name: string) => scope.locator(`input${sel(name)}, ${sel(name)} input`).first();

describe('device archive pages in Chromium', () => {
  let platform: Platform;
  let b: BrowserSession;
  let api: Client;
  const { step, close } = screenshotSteps(() => b);
  let areaId = '';
  let first = '';
  let meterId = '';
  let collectorId = '';

  beforeAll(async () => {
    ensureAdminBuilt();
    platform = await startTestPlatform();
    b = await openBrowser(platform.baseUrl);
    api = await loggedIn(platform.baseUrl, 'demo', 'admin', platform.demo.password);
    const areas: { id: string; name: string }[] = (await api.get('/api/v1/areas')).body.items;
    areaId = areas.find((a) => a.name === '1号楼')!.id;
    // the branch the topology starts from: concentrator 0001 with a collector and a meter behind it
    const con = await api.post('/api/v1/concentrators', { number: '0001', a1: '3301', a2: 1, areaId });
    first = con.body.id;
    const col = await api.post('/api/v1/collectors', {
      number: '1001',
      interface: 'mbus',
      address: '01',
      concentratorId: first,
      areaId,
    });
    collectorId = col.body.id;
    const meter = await api.post('/api/v1/meters', {
      kind: 'meter-water',
      assetNo: '200001',
      commAddress: '000000000001',
      protocol: 'gdw1376',
      areaId,
      route: { via: 'concentrator', concentratorId: first, pointNo: 7, port: 2, collectorId: col.body.id },
    });
    expect([con.status, col.status, meter.status]).toEqual([201, 201, 201]);
    meterId = meter.body.id;
  });

  afterAll(async () => {
    await close();
    await platform?.stop();
  });


  it('defines a required field, creates gateways through their forms, moves them in the topology and saves groups', async () => {
    const { page } = b;
    let second = '';

    await step('custom-field', async () => {
      await login(page, platform.demo.tenant, platform.demo.username, platform.demo.password);
      await openMenu(page, 'custom-fields', 'custom-fields-page');
      await page.locator(sel('custom-field-entity-concentrator')).click();
      await page.click(sel('custom-field-create'));
      const dlg = dialog(page, 'custom-field-dialog');
      await input(dlg, 'custom-field-form-key').fill('cabinet');
      await input(dlg, 'custom-field-form-label-zh').fill('机箱');
      await input(dlg, 'custom-field-form-label-en').fill('Cabinet');
      await pickOption(page, dlg.locator(sel('custom-field-form-type')), sel('custom-field-type-select'));
      const options = input(dlg, 'custom-field-form-options');
      for (const o of ['甲', '乙']) {
        await options.fill(o);
        await page.locator('.el-select-dropdown__item:visible', { hasText: o }).click();
        await dlg.locator(`${sel('custom-field-form-options')} .el-tag`, { hasText: o }).waitFor();
      }
      await dlg.locator('.el-dialog__title').click();
      expect(await dlg.locator(`${sel('custom-field-form-options')} .el-tag`).allInnerTexts()).toEqual(['甲', '乙']);
      await dlg.locator(sel('custom-field-form-required')).click();
      await dlg.locator(sel('custom-field-form-submit')).click();
      await page.locator(`${sel('custom-field-row')}[data-key="cabinet"]`).waitFor();
      await closeDialog(page, 'custom-field-dialog');
      const fields = (await api.get('/api/v1/custom-fields?entity=concentrator')).body.items;
      expect(fields).toEqual([
        {
          entity: 'concentrator',
          key: 'cabinet',
          label: { 'zh-CN': '机箱', en: 'Cabinet' },
          type: 'select',
          required: true,
          options: ['甲', '乙'],
          sort: 0,
        },
      ]);
    });

    await step('concentrator-form', async () => {
      await openMenu(page, 'concentrators', 'concentrators-page');
      await page.click(sel('concentrator-create'));
      const dlg = dialog(page, 'concentrator-dialog');
      await input(dlg, 'concentrator-form-number').fill('0002');
      await input(dlg, 'concentrator-form-name').fill('二号');
      await input(dlg, 'concentrator-form-a1').fill('33a2');
      await input(dlg, 'concentrator-form-a2').fill('17');
      await input(dlg, 'concentrator-form-sim').fill('13900001111');
      await dlg.locator(sel('concentrator-form-area')).click();
      await page.locator('.el-tree-node__content:visible', { hasText: /^1号楼$/ }).first().click();
      // the required custom field is refused while empty: the form names it and sends nothing
      await dlg.locator(sel('concentrator-form-submit')).click();
      await dlg.locator(`${sel('custom-field-cabinet')} .el-form-item__error`).waitFor();
      expect((await api.get('/api/v1/concentrators')).body.items).toHaveLength(1);
      await pickOption(page, dlg.locator(`${sel('custom-field-cabinet')} .el-select`), '.el-select-dropdown__item:has-text("乙")');
      await dlg.locator(sel('concentrator-form-submit')).click();
      await page.locator(`${sel('concentrator-row')}[data-number="0002"]`).waitFor();
      await closeDialog(page, 'concentrator-dialog');
      const made = (await api.get('/api/v1/concentrators')).body.items.find((c: { number: string }) => c.number === '0002');
      expect(made).toMatchObject({
        name: '二号',
        a1: '33A2',
        a2: 17,
        sim: '13900001111',
        iccid: null,
        areaId,
        online: false,
        lastHeartbeatAt: null,
        custom: { cabinet: '乙' },
      });
      second = made.id;
    });

    await step('collector-form', async () => {
      await openMenu(page, 'collectors', 'collectors-page');
      await page.click(sel('collector-create'));
      const dlg = dialog(page, 'collector-dialog');
      await input(dlg, 'collector-form-number').fill('1002');
      await dlg.locator(sel('collector-interface-wireless')).click();
      await input(dlg, 'collector-form-address').fill('0a');
      await pickOption(page, dlg.locator(sel('collector-form-concentrator')), `${sel('collector-form-concentrator-option')}[data-number="0002"]`);
      await dlg.locator(sel('collector-form-area')).click();
      await page.locator('.el-tree-node__content:visible', { hasText: /^1号楼$/ }).first().click();
      await dlg.locator(sel('collector-form-submit')).click();
      await page.locator(`${sel('collector-row')}[data-number="1002"]`).waitFor();
      await closeDialog(page, 'collector-dialog');
      const made = (await api.get(`/api/v1/collectors?concentratorId=${second}`)).body.items;
      expect(made.map((c: { number: string; interface: string; address: string }) => [c.number, c.interface, c.address])).toEqual([
        ['1002', 'wireless', '0A'],
      ]);
    });

    await step('topology-move', async () => {
      await openMenu(page, 'topology', 'topology-page');
      const node = (type: string, name: string) => page.locator(`${sel('topology-node')}[data-type="${type}"][data-name="${name}"]`);
      const expand = (type: string, name: string) =>
        page.locator('.el-tree-node__content', { has: node(type, name) }).locator('.el-tree-node__expand-icon').click();
      await expand('concentrator', '0001');
      await expand('collector', '1001');
      await node('meter', '200001').waitFor();

      // the meter moves to concentrator 0002, behind its collector 1002, keeping point 7
      await node('meter', '200001').locator(sel('topology-move')).click();
      let dlg = dialog(page, 'topology-move-dialog');
      expect(await input(dlg, 'topology-move-point').inputValue()).toBe('7');
      await pickOption(page, dlg.locator(sel('topology-move-concentrator')), `${sel('topology-move-concentrator-option')}[data-number="0002"]`);
      await pickOption(page, dlg.locator(sel('topology-move-collector')), `${sel('topology-move-collector-option')}[data-number="1002"]`);
      await dlg.locator(sel('topology-move-submit')).click();
      await closed(page, 'topology-move-dialog');
      const route = (await api.get(`/api/v1/meters/${meterId}/route`)).body.route;
      expect(route).toMatchObject({ via: 'concentrator', concentratorId: second, pointNo: 7, port: 2 });
      expect(route.collectorId).not.toBe(collectorId);

      // collector 1001 leaves its concentrator (the rebuilt tree keeps 0001 open)
      await node('collector', '1001').locator(sel('topology-move')).click();
      dlg = dialog(page, 'topology-move-dialog');
      await dlg.locator(sel('topology-move-concentrator')).hover();
      await dlg.locator(`${sel('topology-move-concentrator')} .el-select__clear`).click();
      await dlg.locator(sel('topology-move-submit')).click();
      await closed(page, 'topology-move-dialog');
      expect((await api.get(`/api/v1/collectors/${collectorId}`)).body.concentratorId).toBe(null);

      // the rebuilt tree shows both where they now are
      await expand('concentrator', '0002');
      await expand('collector', '1002');
      await node('meter', '200001').waitFor();
      await page
        .locator('.el-tree-node__content', { has: page.locator(`${sel('topology-node')}[data-type="loose"]`) })
        .locator('.el-tree-node__expand-icon')
        .click();
      await node('collector', '1001').waitFor();
      const under = await node('collector', '1001').evaluate(
        (el) =>
          el
            .closest('.el-tree-node')
            ?.parentElement?.closest('.el-tree-node')
            ?.querySelector('[data-test="topology-node"]')
            ?.getAttribute('data-type') ?? '',
      );
      expect(under).toBe('loose');
    });

    await step('meter-groups', async () => {
      await openMenu(page, 'meter-groups', 'meter-groups-page');
      await page.click(sel('meter-group-create'));
      let dlg = dialog(page, 'meter-group-dialog');
      await input(dlg, 'meter-group-form-name').fill('二号集中器的表');
      const members = input(dlg, 'meter-group-form-members');
      await dlg.locator(sel('meter-group-form-members')).click();
      await members.fill('200001');
      await page.locator(`${sel('meter-group-member-option')}[data-asset-no="200001"]:visible`).click();
      await dlg.locator('.el-dialog__title').click();
      await dlg.locator(sel('meter-group-form-submit')).click();
      await page.locator(`${sel('meter-group-row')}[data-name="二号集中器的表"]`).waitFor();
      await closeDialog(page, 'meter-group-dialog');

      await page.click(sel('meter-group-create'));
      dlg = dialog(page, 'meter-group-dialog');
      await input(dlg, 'meter-group-form-name').fill('全部水表');
      await dlg.locator(sel('meter-group-kind-filter')).click();
      await pickOption(page, dlg.locator(sel('meter-group-form-meter-kind')), sel('meter-group-meter-kind-meter-water'));
      await dlg.locator(sel('meter-group-form-submit')).click();
      await page.locator(`${sel('meter-group-row')}[data-name="全部水表"]`).waitFor();
      await closeDialog(page, 'meter-group-dialog');

      const groups = (await api.get('/api/v1/meter-groups')).body.items;
      const byName = new Map(groups.map((g: { name: string }) => [g.name, g]));
      const staticId = (byName.get('二号集中器的表') as { id: string }).id;
      expect((await api.get(`/api/v1/meter-groups/${staticId}`)).body).toMatchObject({
        kind: 'static',
        memberIds: [meterId],
        filter: null,
      });
      expect(await page.locator(`${sel('meter-group-row')}[data-name="二号集中器的表"]`).count()).toBe(1);
      const content = await page.locator(sel('meter-group-content')).allInnerTexts();
      expect(content).toEqual(['1 块表', '表计种类: 水表']);

      // editing the static group shows its member and keeps it when only the name changes
      await page.click(sel('meter-group-edit-二号集中器的表'));
      dlg = dialog(page, 'meter-group-dialog');
      await dlg.locator(`${sel('meter-group-form-members')} .el-tag`, { hasText: '200001' }).waitFor();
      await input(dlg, 'meter-group-form-name').fill('二号集中器水表');
      await dlg.locator(sel('meter-group-form-submit')).click();
      await page.locator(`${sel('meter-group-row')}[data-name="二号集中器水表"]`).waitFor();
      await closed(page, 'meter-group-dialog');
      expect((await api.get(`/api/v1/meter-groups/${staticId}`)).body.memberIds).toEqual([meterId]);
      expect(byName.get('全部水表')).toMatchObject({ kind: 'filter', memberIds: null, filter: { kind: 'meter-water' } });
      const matched = (await api.get(`/api/v1/meter-groups/${(byName.get('全部水表') as { id: string }).id}/meters`)).body;
      expect(matched.items.map((m: { id: string }) => m.id)).toEqual([meterId]);
    });
  });
});
