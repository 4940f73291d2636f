import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, loggedIn } from '../../../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/platform.ts';
import { withSystem } from '../../db/tenant.ts';
import { throttle } from '../../services/identity/throttle.ts';

let p: TestPlatform;
let admin: Client;

beforeAll(async () => {
  p = await startTestPlatform({ QUADMETER_BODY_LIMIT_KB: '16' });
  admin = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
});
afterAll(async () => p?.stop());

async function counts() {
  const db = p.running.platform.db;
  const [row] = await withSystem(db, (tx) =>
    tx.execute(sql`select (select count(*) from users)::int as users, (select count(*) from areas)::int as areas,
      (select count(*) from roles)::int as roles, (select count(*) from audit_log where action <> 'auth.login')::int as audit`),
  );
  return row;
}

describe('bad input gets its documented code and writes nothing', () => {
  it.each([
    ['malformed JSON', '{"parentId": null, "name": ', 'REQ_JSON_MALFORMED', 400],
    ['wrong types', { parentId: 5, name: ['x'], kind: 'company' }, 'REQ_VALIDATION', 400],
    [
      'unknown fields',
      { parentId: null, name: 'x', kind: 'company', tenantId: 'forged' },
      'REQ_VALIDATION',
      400,
    ],
    ['bad enum', { parentId: null, name: 'x', kind: 'castle' }, 'REQ_VALIDATION', 400],
    [
      'oversized body',
      { parentId: null, name: 'x'.repeat(20_000), kind: 'company' },
      'REQ_BODY_TOO_LARGE',
      413,
    ],
    [
      'SQL-looking id',
      { parentId: "1'; drop table areas; --", name: 'x', kind: 'unit' },
      'REQ_VALIDATION',
      400,
    ],
  ])('%s', async (_, body, code, status) => {
    const before = await counts();
    const r = await admin.post('/api/v1/areas', body);
    expect(r.status).toBe(status);
    expect(r.body.error.code).toBe(code);
    expect(r.body.error.requestId).toEqual(expect.any(String));
    expect(JSON.stringify(r.body)).not.toMatch(/at .*\.ts:\d+/); // never a stack trace
    expect(await counts()).toEqual(before);
  });

  it('lists the offending fields on validation errors', async () => {
    const r = await admin.post('/api/v1/users', {
      username: 'a b',
      displayName: '',
      password: 'short',
      roleIds: 'x',
      extra: 1,
    });
    expect(r.body.error.code).toBe('REQ_VALIDATION');
    const paths = r.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['username', 'displayName', 'password', 'roleIds']));
  });

  it('stores SQL-looking text as plain text', async () => {
    const name = "Robert'); DROP TABLE users;--";
    const r = await admin.post('/api/v1/areas', { parentId: null, name, kind: 'company' });
    expect(r.status).toBe(201);
    const list = await admin.get(`/api/v1/users?q=${encodeURIComponent("' or 1=1 --")}`);
    expect(list.body.total).toBe(0);
    expect((await admin.get('/api/v1/areas')).body.items.some((a: { name: string }) => a.name === name)).toBe(
      true,
    );
  });

  it('rejects a non-JSON media type', async () => {
    const r = await admin.request('POST', '/api/v1/areas', 'name=x', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(r.status).toBe(415);
    expect(r.body.error.code).toBe('REQ_UNSUPPORTED_MEDIA');
  });

  it('rejects malformed path ids', async () => {
    const r = await admin.patch('/api/v1/areas/not-a-uuid', { name: 'x' });
    expect(r.body.error.code).toBe('REQ_VALIDATION');
  });
});

describe('sessions, CSRF and tokens', () => {
  it('refuses a cookie-borne mutation without the CSRF token', async () => {
    const before = await counts();
    const r = await admin.request(
      'POST',
      '/api/v1/areas',
      { parentId: null, name: 'csrf', kind: 'company' },
      { 'x-csrf-token': 'wrong' },
    );
    expect(r.body.error.code).toBe('AUTH_CSRF_INVALID');
    const bare = new Client(p.baseUrl);
    bare.cookie = admin.cookie;
    expect(
      (await bare.post('/api/v1/areas', { parentId: null, name: 'csrf', kind: 'company' })).body.error.code,
    ).toBe('AUTH_CSRF_INVALID');
    expect(await counts()).toEqual(before);
  });

  it('refuses forged and expired sessions', async () => {
    const forged = new Client(p.baseUrl);
    forged.cookie = 'qm_session=qs_forged-session-value';
    expect((await forged.get('/api/v1/users')).body.error.code).toBe('AUTH_SESSION_INVALID');
    const c = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
    await withSystem(p.running.platform.db, (tx) =>
      tx.execute(sql`update sessions set expires_at = now() - interval '1 minute'`),
    );
    const r = await c.get('/api/v1/users');
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('AUTH_SESSION_EXPIRED');
    admin = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
  });

  it('refuses forged, malformed and wrong-tenant tokens', async () => {
    const t = new Client(p.baseUrl);
    for (const token of [
      'qm_demo.' + 'A'.repeat(43),
      'qm_nosuch.' + 'A'.repeat(43),
      'garbage',
      "qm_demo.' or 1=1 --",
    ]) {
      t.bearer = token;
      const r = await t.get('/api/v1/areas');
      expect(r.status, token).toBe(401);
      expect(r.body.error.code).toBe('AUTH_TOKEN_INVALID');
    }
    const r = await t.request('GET', '/api/v1/areas', undefined, { authorization: 'Basic abc' });
    expect(r.body.error.code).toBe('AUTH_TOKEN_INVALID');
  });

  it('throttles repeated failed logins per account', async () => {
    const c = new Client(p.baseUrl);
    const codes: string[] = [];
    for (let i = 0; i < 7; i++) {
      codes.push(
        (await c.post('/api/v1/auth/login', { tenant: 'demo', username: 'ghost', password: `wrong-${i}` }))
          .body.error.code,
      );
    }
    expect(codes.slice(0, 5)).toEqual(Array(5).fill('AUTH_INVALID_CREDENTIALS'));
    expect(codes.slice(5)).toEqual(['AUTH_THROTTLED', 'AUTH_THROTTLED']);
    const r = await c.post('/api/v1/auth/login', { tenant: 'demo', username: 'ghost', password: 'x' });
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('900');
  });

  it('throttles an address that fails across many accounts (runs last: it locks this address out)', async () => {
    const c = new Client(p.baseUrl);
    let code = '';
    let tries = 0;
    while (code !== 'AUTH_THROTTLED' && tries < 40) {
      code = (
        await c.post('/api/v1/auth/login', {
          tenant: 'demo',
          username: `spray-${tries}`,
          password: 'wrong-password',
        })
      ).body.error.code;
      tries++;
    }
    expect(code).toBe('AUTH_THROTTLED');
    expect(tries).toBeGreaterThan(throttle.perAccount * 3); // the per-address limit is far above the per-account one
    // even the right password is refused from this address until the window passes
    const r = await c.post('/api/v1/auth/login', {
      tenant: 'demo',
      username: 'admin',
      password: p.demo.password,
    });
    expect(r.body.error.code).toBe('AUTH_THROTTLED');
  });
});
