import type { ConcentratorSim } from '@quadmeter/simulators';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ArchiveWorld,
  archiveWorld,
  dial,
  meterAddress,
} from '../../core/server/src/http/tests/concentrator-archive-fixtures.ts';
import { dialog, login, openMenu, sel } from './support/admin-ui.ts';
import { type BrowserSession, openBrowser, screenshotSteps } from './support/browser.ts';
import { ensureAdminBuilt } from './support/build-admin.ts';

// 档案下载 in Chromium: the concentrator list opens the address-download dialog, which reads the
// table of a simulated concentrator back over the real master station, shows the diff, and fixes
// it in one click (after a confirmation) — first a factory-fresh table, then planted differences.

describe('concentrator address download in Chromium', () => {
  let w: ArchiveWorld;
  let sim: ConcentratorSim;
  let b: BrowserSession;
  const { step, close } = screenshotSteps(() => b);

  beforeAll(async () => {
    ensureAdminBuilt();
    w = await archiveWorld();
    sim = await dial(w, 81);
    b = await openBrowser(w.p.baseUrl);
  });

  afterAll(async () => {
    await close();
    await Promise.all(w?.sims.map((s) => s.stop()) ?? []);
    await w?.p.stop();
  });


  const count = (page: Page, status: string) =>
    page.locator(`${sel(`archive-count-${status}`)}:visible`).getAttribute('data-count');
  const rows = (page: Page) =>
    dialog(page, 'archive-dialog')
      .locator(sel('archive-row'))
      .evaluateAll((els) => els.map((e) => `${e.getAttribute('data-point')}:${e.getAttribute('data-status')}`));

  async function fix(page: Page) {
    await page.locator(`${sel('archive-fix')}:visible`).click();
    await page.locator('.el-message-box__btns .el-button--primary:visible').click();
  }

  it('reads back, shows the diff and fixes it', async () => {
    const { page } = b;
    await step('open', async () => {
      await login(page, 'demo', 'admin', w.p.demo.password);
      await openMenu(page, 'concentrators', 'concentrators-page');
      await page.click(sel('concentrator-archive-JZQ-81'));
      const dlg = dialog(page, 'archive-dialog');
      await dlg.locator(sel('archive-read')).click();
      await expect.poll(() => count(page, 'missing'), { timeout: 15_000 }).toBe('3');
      await expect.poll(() => rows(page)).toEqual(['1:missing', '2:missing', '3:missing']);
    });

    await step('fix-fresh', async () => {
      await fix(page);
      await expect.poll(() => count(page, 'match'), { timeout: 15_000 }).toBe('3');
      expect(sim.params.records().map((r) => [r.pn, r.address])).toEqual([
        [1, meterAddress(1)],
        [2, meterAddress(2)],
        [3, meterAddress(3)],
      ]);
    });

    await step('planted', async () => {
      sim.params.plant({ serial: 2, address: '999999999999' });
      sim.params.plant({ serial: 9, pn: 9, address: '000000000009' });
      await page.locator(`${sel('archive-read')}:visible`).click();
      await expect.poll(() => count(page, 'extra'), { timeout: 15_000 }).toBe('1');
      await expect.poll(() => rows(page)).toEqual(['1:match', '2:mismatch', '3:match', '9:extra']);
      await expect.poll(() => count(page, 'mismatch')).toBe('1');
    });

    await step('fix-planted', async () => {
      await fix(page);
      await expect.poll(() => count(page, 'extra'), { timeout: 15_000 }).toBe('0');
      expect(await count(page, 'match')).toBe('3');
      await expect.poll(() => rows(page)).toEqual(['1:match', '2:match', '3:match']);
      expect(sim.params.records().map((r) => r.pn)).toEqual([1, 2, 3]);
    });

    await step('reading-plan', async () => {
      const made = await w.admin.post('/api/v1/reading-schedules', {
        name: '1号楼日冻结',
        target: 'area',
        targetId: w.areaA,
        kind: 'daily',
        frequency: 'daily',
        hour: 1,
        minute: 0,
      });
      expect(made.status).toBe(201);
      await page.locator('#tab-plan:visible').click();
      await page.locator(`${sel('reading-plan-read')}:visible`).click();
      const same = () =>
        dialog(page, 'archive-dialog')
          .locator(sel('reading-plan-row'))
          .evaluateAll((els) => els.map((e) => `${e.getAttribute('data-port')}:${e.getAttribute('data-same')}`));
      await expect.poll(same, { timeout: 15_000 }).toEqual(['2:false', '31:false']);
      await page.locator(`${sel('reading-plan-set')}:visible`).click();
      await page.locator('.el-message-box__btns .el-button--primary:visible').click();
      await expect.poll(same, { timeout: 15_000 }).toEqual(['2:true', '31:true']);
      expect(sim.params.readingParams([2, 31]).map((b) => [b.port, b.time, b.days.length])).toEqual([
        [2, '00:30', 31],
        [31, '00:30', 31],
      ]);
    });
  });
});
