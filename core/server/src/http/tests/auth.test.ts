import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, loggedIn } from '../../../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/platform.ts';

let p: TestPlatform;
beforeAll(async () => {
  p = await startTestPlatform();
});
afterAll(async () => p?.stop());

describe('health, docs and error shapes', () => {
  it('answers /healthz and /readyz with database and job queue checks', async () => {
    const c = new Client(p.baseUrl);
    expect((await c.get('/healthz')).body).toEqual({ status: 'ok', role: 'all' });
    const ready = await c.get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ok', checks: { database: 'ok', jobs: 'ok' } });
  });

  it('publishes an OpenAPI document generated from the route schemas and a docs page', async () => {
    const c = new Client(p.baseUrl);
    const doc = await c.get('/api/openapi.json');
    expect(doc.body.openapi).toBe('3.1.0');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/auth/login',
        '/api/v1/users',
        '/api/v1/users/{id}',
        '/api/v1/areas',
        '/api/v1/plugins',
      ]),
    );
    expect(doc.body.components.schemas.LoginInput.properties).toHaveProperty('tenant');
    const page = await fetch(`${p.baseUrl}/api/docs`);
    expect(await page.text()).toContain('/api/openapi.json');
    const bundle = await fetch(`${p.baseUrl}/api/docs/swagger-ui-bundle.js`);
    expect(bundle.status).toBe(200);
  });

  it('answers unknown routes with 404 and wrong methods with 405, in the error shape', async () => {
    const c = new Client(p.baseUrl);
    const nf = await c.get('/api/v1/nothing-here');
    expect(nf.status).toBe(404);
    expect(nf.body.error).toMatchObject({ code: 'REQ_NOT_FOUND', requestId: expect.any(String) });
    const na = await c.request('DELETE', '/api/v1/auth/login');
    expect(na.status).toBe(405);
    expect(na.body.error.code).toBe('REQ_METHOD_NOT_ALLOWED');
    expect(na.headers.get('allow')).toContain('POST');
  });

  it('echoes a well-formed X-Request-Id', async () => {
    const r = await new Client(p.baseUrl).request('GET', '/api/v1/auth/me', undefined, {
      'x-request-id': 'trace-12345678',
    });
    expect(r.status).toBe(401);
    expect(r.body.error).toMatchObject({ code: 'AUTH_REQUIRED', requestId: 'trace-12345678' });
  });
});

describe('sessions', () => {
  it('logs the demo admin in with the printed credentials and sets an HttpOnly SameSite cookie', async () => {
    const c = new Client(p.baseUrl);
    const r = await c.post('/api/v1/auth/login', {
      tenant: 'demo',
      username: 'admin',
      password: p.demo.password,
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('set-cookie')).toMatch(/qm_session=.*HttpOnly.*SameSite=Lax/i);
    expect(r.body).toMatchObject({
      user: { username: 'admin', isOperator: false },
      tenant: { code: 'demo' },
      areaScope: null,
    });
    expect(r.body.permissions).toContain('users.manage');
    const me = await c.get('/api/v1/auth/me');
    expect(me.body.user.username).toBe('admin');
    const oldCookie = c.cookie;
    expect((await c.post('/api/v1/auth/logout')).status).toBe(204);
    expect((await c.get('/api/v1/auth/me')).body.error.code).toBe('AUTH_REQUIRED');
    // the revoked session cannot be replayed
    expect(
      (await c.request('GET', '/api/v1/auth/me', undefined, { cookie: oldCookie })).body.error.code,
    ).toBe('AUTH_SESSION_INVALID');
  });

  it('refuses a wrong password without saying which part was wrong', async () => {
    const c = new Client(p.baseUrl);
    const wrong = await c.post('/api/v1/auth/login', {
      tenant: 'demo',
      username: 'admin',
      password: 'nope-nope',
    });
    const unknown = await c.post('/api/v1/auth/login', {
      tenant: 'nosuch',
      username: 'admin',
      password: 'nope-nope',
    });
    expect(wrong.body.error.code).toBe('AUTH_INVALID_CREDENTIALS');
    expect(unknown.body.error.code).toBe('AUTH_INVALID_CREDENTIALS');
    expect(wrong.body.error.message).toBe(unknown.body.error.message);
  });

  it('lets an operator switch into a tenant and act there', async () => {
    const op = await loggedIn(p.baseUrl, 'platform', 'operator', p.operator.password);
    const me = await op.get('/api/v1/auth/me');
    expect(me.body).toMatchObject({ tenant: null, user: { isOperator: true } });
    expect((await op.get('/api/v1/users')).body.error.code).toBe('TENANT_REQUIRED');
    const platformLog = await op.get('/api/v1/audit');
    expect(platformLog.body.items.map((e: { action: string }) => e.action)).toContain('auth.login');
    const tenants = await op.get('/api/v1/tenants');
    const demo = tenants.body.items.find((t: { code: string }) => t.code === 'demo');
    const switched = await op.post('/api/v1/auth/switch-tenant', { tenantId: demo.id });
    expect(switched.body.tenant.code).toBe('demo');
    const users = await op.get('/api/v1/users');
    expect(users.body.items.map((u: { username: string }) => u.username)).toContain('admin');
  });

  it('keeps tenant users out of platform routes', async () => {
    const admin = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
    const r = await admin.get('/api/v1/tenants');
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('AUTH_FORBIDDEN');
  });
});

describe('API tokens', () => {
  it('issues a scoped token, honours its scopes and stops working once revoked', async () => {
    const admin = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
    const created = await admin.post('/api/v1/tokens', { name: 'integration', scopes: ['areas.read'] });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^qm_demo\./);
    const api = new Client(p.baseUrl);
    api.bearer = created.body.token;
    expect((await api.get('/api/v1/areas')).status).toBe(200);
    const forbidden = await api.get('/api/v1/users');
    expect(forbidden.body.error.code).toBe('AUTH_FORBIDDEN');
    // tokens need no CSRF header, but still only do what the scopes allow
    expect(
      (await api.post('/api/v1/areas', { parentId: null, name: 'x', kind: 'company' })).body.error.code,
    ).toBe('AUTH_FORBIDDEN');
    const list = await admin.get('/api/v1/tokens');
    expect(JSON.stringify(list.body)).not.toContain(created.body.token);
    expect((await admin.delete(`/api/v1/tokens/${created.body.item.id}`)).status).toBe(204);
    expect((await api.get('/api/v1/areas')).body.error.code).toBe('AUTH_TOKEN_INVALID');
  });
});
