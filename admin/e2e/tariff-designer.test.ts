import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, loggedIn } from '../../core/server/test/client.ts';
import { startTestPlatform } from '../../core/server/test/platform.ts';
import { login, openMenu, sel } from './support/admin-ui.ts';
import { field as input } from './support/archives-ui.ts';
import { type BrowserSession, openBrowser, screenshotSteps } from './support/browser.ts';
import { ensureAdminBuilt } from './support/build-admin.ts';

// The tariff designer in Chromium: the admin creates a water plan, opens a first draft, turns its
// flat price into two monthly tiers (100 m³ at 1.00, above at 5.00), sees the live quote for 150 m³
// (100 × 1.00 + 50 × 5.00 = 350.00), publishes it after confirming, finds it read-only, and copies
// it into a new draft.

type Platform = Awaited<ReturnType<typeof startTestPlatform>>;

describe('tariff designer in Chromium', () => {
  let platform: Platform;
  let b: BrowserSession;
  let api: Client;
  const { step, close } = screenshotSteps(() => b);

  beforeAll(async () => {
    ensureAdminBuilt();
    platform = await startTestPlatform();
    b = await openBrowser(platform.baseUrl);
    api = await loggedIn(platform.baseUrl, 'demo', 'admin', platform.demo.password);
  });
  afterAll(async () => {
    await close();
    await platform?.stop();
  });


  it('creates a plan, designs tiers, previews the quote, publishes and shows it read-only', async () => {
    const { page } = b;
    await step('tariff-plan-create', async () => {
      await login(page, platform.demo.tenant, platform.demo.username, platform.demo.password);
      await openMenu(page, 'tariffs', 'tariffs-page');
      await page.click(sel('tariff-plan-create'));
      await page.fill(input('tariff-plan-code'), 'e2e-water');
      await page.fill(input('tariff-plan-name'), '端到端水价');
      await page.click(sel('tariff-plan-submit'));
      await page.locator(sel('tariff-plan-page')).waitFor();
      await page.click(sel('tariff-new-draft'));
      await page.locator(`${sel('tariff-designer-page')}[data-status="draft"]`).waitFor();
    });

    await step('tariff-design-tiers', async () => {
      await page.click(sel('tariff-tiered-energy'));
      await page.locator(sel('tariff-tiers-energy')).waitFor();
      await page.fill(input('tariff-threshold-energy-0'), '100');
      await page.fill(input('tariff-tier-price-energy-1'), '5.00');
      await page.fill(input('tariff-sample-usage'), '150');
      await expect.poll(() => page.locator(sel('tariff-preview-total')).textContent(), { timeout: 10_000 }).toBe('350.00');
      const lines = await page.locator(sel('tariff-preview-line')).allTextContents();
      expect(lines).toEqual(['100.00', '250.00']);
      // the JSON view follows the form
      const json = JSON.parse(await page.locator(`textarea${sel('tariff-json')}, ${sel('tariff-json')} textarea`).inputValue());
      expect(json.versions[0].components[0].tiers).toEqual({ cycle: 'month', thresholds: ['100'], prices: ['1.00', '5.00'] });
    });

    await step('tariff-publish', async () => {
      await page.click(sel('tariff-publish'));
      await page.locator('.el-message-box__btns .el-button--primary').click();
      await page.locator(`${sel('tariff-designer-page')}[data-status="published"]`).waitFor();
      await page.locator(sel('tariff-read-only')).waitFor();
      await page.locator(sel('tariff-copy')).waitFor();
      expect(await page.locator(sel('tariff-publish')).count()).toBe(0);
      expect(await page.locator(`${input('tariff-tier-price-energy-1')}`).isDisabled()).toBe(true);
    });

    const plans = (await api.get('/api/v1/tariff-plans')).body.items as { id: string; code: string }[];
    const plan = plans.find((p) => p.code === 'e2e-water')!;
    const [v] = (await api.get(`/api/v1/tariff-plans/${plan.id}/versions`)).body.items;
    expect(v).toMatchObject({ version: 1, status: 'published', publishedByName: '演示管理员' });
    expect(v.body.versions[0].components[0].tiers.prices).toEqual(['1.00', '5.00']);

    await step('tariff-copy', async () => {
      // a published version changes only through a copy: a new draft with the same body
      await page.click(sel('tariff-copy'));
      await page.locator(`${sel('tariff-designer-page')}[data-status="draft"]`).waitFor();
      expect(await page.locator(input('tariff-tier-price-energy-1')).inputValue()).toBe('5.00');
      await page.goto(`/tariffs/${plan.id}`);
      await page.locator(`${sel('tariff-version-row')}[data-version="1"][data-status="published"]`).waitFor();
      await page.locator(`${sel('tariff-version-row')}[data-version="2"][data-status="draft"]`).waitFor();
    });
  });
});
