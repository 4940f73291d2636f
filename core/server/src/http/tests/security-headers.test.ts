import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, loggedIn } from '../../../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/platform.ts';

let p: TestPlatform;
beforeAll(async () => {
  p = await startTestPlatform();
});
afterAll(async () => p?.stop());

function expectSecurityHeaders(h: Headers, what: string) {
  const csp = h.get('content-security-policy') ?? '';
  expect(csp, what).toContain("default-src 'self'");
  expect(csp, what).toContain("script-src 'self';");
  expect(csp, what).not.toMatch(/script-src[^;]*unsafe-inline/);
  expect(csp, what).toContain("frame-ancestors 'none'");
  expect(csp, what).toContain("object-src 'none'");
  expect(h.get('x-content-type-options'), what).toBe('nosniff');
  expect(h.get('x-frame-options'), what).toBe('DENY');
  expect(h.get('referrer-policy'), what).toBe('strict-origin-when-cross-origin');
  // plain http, no trusted proxy: no HSTS
  expect(h.get('strict-transport-security'), what).toBeNull();
}

describe('security headers', () => {
  it('on /healthz', async () => {
    const r = await fetch(`${p.baseUrl}/healthz`);
    expect(r.status).toBe(200);
    expectSecurityHeaders(r.headers, '/healthz');
  });

  it('on API responses, success and error alike, with Cache-Control: no-store', async () => {
    const c = new Client(p.baseUrl);
    const login = await c.post('/api/v1/auth/login', {
      tenant: 'demo',
      username: 'admin',
      password: p.demo.password,
    });
    expect(login.status).toBe(200);
    expectSecurityHeaders(login.headers, 'login');
    expect(login.headers.get('cache-control')).toBe('no-store');
    const admin = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
    const token = await admin.post('/api/v1/tokens', { name: 'x', scopes: ['areas.read'] });
    expect(token.headers.get('cache-control')).toBe('no-store');
    const list = await admin.get('/api/v1/users');
    expectSecurityHeaders(list.headers, '/api/v1/users');
    expect(list.headers.get('cache-control')).toBe('no-store');
    const denied = await new Client(p.baseUrl).get('/api/v1/users');
    expect(denied.status).toBe(401);
    expectSecurityHeaders(denied.headers, '401');
    expect(denied.headers.get('cache-control')).toBe('no-store');
    const missing = await new Client(p.baseUrl).get('/api/v1/nothing');
    expect(missing.headers.get('cache-control')).toBe('no-store');
    expect((await fetch(`${p.baseUrl}/api/openapi.json`)).headers.get('cache-control')).toBe('no-store');
  });

  it('on /api/docs, whose page has no inline script', async () => {
    const r = await fetch(`${p.baseUrl}/api/docs`);
    expect(r.status).toBe(200);
    expectSecurityHeaders(r.headers, '/api/docs');
    const html = await r.text();
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBe(2);
    for (const [, attrs, body] of scripts) {
      expect(attrs).toMatch(/src="\/api\/docs\/[a-z-]+\.js"/);
      expect(body.trim()).toBe('');
    }
    const init = await fetch(`${p.baseUrl}/api/docs/init.js`);
    expect(init.status).toBe(200);
    expect(init.headers.get('content-type')).toContain('javascript');
    expect(await init.text()).toContain('SwaggerUIBundle(');
    expect(html).toContain('data-spec="/api/openapi.json"');
  });

  it('on the admin index and its fallback routes', async () => {
    for (const path of ['/', '/users']) {
      const r = await fetch(`${p.baseUrl}${path}`);
      // 200 with the built admin, 503 with a hint when admin/dist is missing: the headers are the same
      expect([200, 503]).toContain(r.status);
      expectSecurityHeaders(r.headers, path);
    }
  });
});
