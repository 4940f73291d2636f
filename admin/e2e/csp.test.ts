import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform } from '../../core/server/test/platform.ts';
import { login, openMenu } from './support/admin-ui.ts';
import { type BrowserSession, dropArtifacts, openBrowser, withScreenshot } from './support/browser.ts';
import { ensureAdminBuilt } from './support/build-admin.ts';

type Platform = Awaited<ReturnType<typeof startTestPlatform>>;

/** The server's Content-Security-Policy must not break the admin or the API docs. */
describe('pages under the Content-Security-Policy in Chromium', () => {
  let platform: Platform;
  let b: BrowserSession;
  const violations: string[] = [];

  beforeAll(async () => {
    ensureAdminBuilt();
    platform = await startTestPlatform();
    b = await openBrowser(platform.baseUrl);
    b.page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
    await b.context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        console.error(`Refused to load: ${e.violatedDirective} ${e.blockedURI}`);
      });
    });
  });

  afterAll(async () => {
    await b?.close();
    if (b) await dropArtifacts(b);
    await platform?.stop();
  });

  it('the admin signs in and renders its pages without a CSP violation', async () => {
    await withScreenshot(b, 'csp-admin', async () => {
      await login(b.page, platform.demo.tenant, platform.demo.username, platform.demo.password);
      await openMenu(b.page, 'areas', 'areas-page');
      await openMenu(b.page, 'users', 'users-page');
      expect(violations).toEqual([]);
    });
  });

  it('Swagger UI at /api/docs renders the OpenAPI document without a CSP violation', async () => {
    await withScreenshot(b, 'csp-docs', async () => {
      await b.page.goto('/api/docs');
      await b.page.locator('.swagger-ui .info .title').waitFor();
      expect(await b.page.locator('.swagger-ui .info .title').textContent()).toContain('Quadmeter API');
      // the operations' tag headings; Swagger UI lists many operations in a virtual list without the
      // per-tag sections it uses for short documents, so wait for the headings themselves
      await b.page.locator('.swagger-ui .opblock-tag').first().waitFor();
      expect(violations).toEqual([]);
    });
  });
});
