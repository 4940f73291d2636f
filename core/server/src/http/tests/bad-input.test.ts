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
  return row as { users: number; areas: number; roles: number; audit: number };
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

async function waitForLockWaiters(n: number) {
  const raw = p.running.platform.database.sql;
  for (let i = 0; i < 500; i++) {
    const [{ waiting }] = await raw`select count(*)::int as waiting from pg_stat_activity
      where datname = current_database() and wait_event_type = 'Lock' and application_name = 'quadmeter-http'`;
    if (waiting >= n) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`fewer than ${n} backends ever waited on a lock`);
}

describe('input that used to reach INTERNAL gets a stable 4xx and writes nothing', () => {
  const expectRefused = async (run: () => ReturnType<Client['request']>, code: string, status: number) => {
    const before = await counts();
    const r = await run();
    expect(r.status).toBe(status);
    expect(r.body.error.code).toBe(code);
    expect(await counts()).toEqual(before);
    return r;
  };

  it('refuses a NUL byte in a body string', async () => {
    const r = await expectRefused(
      () => admin.post('/api/v1/areas', { parentId: null, name: 'nul\u0000here', kind: 'company' }),
      'REQ_VALIDATION',
      400,
    );
    expect(r.body.error.details).toEqual([{ path: 'name', message: 'must not contain NUL characters' }]);
    await expectRefused(
      () => admin.post('/api/v1/roles', { name: 'r\u0000', permissions: [] }),
      'REQ_VALIDATION',
      400,
    );
  });

  it.each([
    ['users ?q=', '/api/v1/users?q=a%00b'],
    ['audit ?action=', '/api/v1/audit?action=%00'],
  ])('refuses a NUL byte in the query string (%s)', async (_, path) => {
    await expectRefused(() => admin.get(path), 'REQ_VALIDATION', 400);
  });

  it('refuses integers beyond their column (area sort beyond int32)', async () => {
    await expectRefused(
      () =>
        admin.post('/api/v1/areas', { parentId: null, name: 'huge', kind: 'company', sort: 9_999_999_999 }),
      'REQ_VALIDATION',
      400,
    );
    const area = (await admin.get('/api/v1/areas')).body.items[0];
    await expectRefused(
      () => admin.patch(`/api/v1/areas/${area.id}`, { sort: -2_147_483_649 }),
      'REQ_VALIDATION',
      400,
    );
    const fits = await admin.patch(`/api/v1/areas/${area.id}`, { sort: 2_147_483_647 });
    expect(fits.status).toBe(200);
    expect(fits.body.sort).toBe(2_147_483_647);
  });

  it.each([['1e12'], ['9999999999999999999999'], ['1000001']])('refuses page=%s', async (page) => {
    await expectRefused(() => admin.get(`/api/v1/users?page=${page}`), 'REQ_VALIDATION', 400);
  });

  it.each([['areas'], ['roles'], ['users']])('refuses an empty PATCH body on %s', async (resource) => {
    const item = (await admin.get(`/api/v1/${resource}`)).body.items[0];
    const r = await expectRefused(
      () => admin.patch(`/api/v1/${resource}/${item.id}`, {}),
      'REQ_VALIDATION',
      400,
    );
    expect(r.body.error.details).toEqual([{ path: '(body)', message: 'at least one field must be given' }]);
  });

  it('refuses a PATCH without any body as REQ_JSON_MALFORMED (no JSON at all; `{}` is REQ_VALIDATION)', async () => {
    const area = (await admin.get('/api/v1/areas')).body.items[0];
    const r = await expectRefused(
      () =>
        admin.request('PATCH', `/api/v1/areas/${area.id}`, undefined, { 'content-type': 'application/json' }),
      'REQ_JSON_MALFORMED',
      400,
    );
    expect(r.body.error.details).toBeUndefined();
  });

  it.each([['/%'], ['/api/v1/%'], ['/api/v1/areas/%zz']])(
    'answers 400 REQ_MALFORMED_URL for %s',
    async (path) => {
      const r = await fetch(p.baseUrl + path, { headers: { cookie: admin.cookie } });
      expect(r.status).toBe(400);
      expect(((await r.json()) as { error: { code: string } }).error.code).toBe('REQ_MALFORMED_URL');
    },
  );

  it('documents the bounds in the OpenAPI schema (the admin generates its types from it)', async () => {
    const doc = (await admin.get('/api/openapi.json')).body;
    const patch = doc.paths['/api/v1/areas/{id}'].patch.requestBody.content['application/json'].schema;
    expect(Object.keys(patch.properties).sort()).toEqual(['kind', 'name', 'parentId', 'sort']);
    expect(patch.properties.sort).toMatchObject({
      type: 'integer',
      minimum: -2_147_483_648,
      maximum: 2_147_483_647,
    });
    expect(patch.properties.name).toMatchObject({ type: 'string', minLength: 1, maxLength: 100 });
  });

  it('two concurrent creates of the same role name: one 201, one 409 RESOURCE_CONFLICT', async () => {
    // hold inserts into roles back until both requests have passed their duplicate check, so the
    // unique index (23505, wrapped by drizzle) is what decides
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let locked!: () => void;
    const holding = new Promise<void>((r) => {
      locked = r;
    });
    const blocker = p.running.platform.database.sql.begin(async (s) => {
      await s`lock table roles in share mode`;
      locked();
      await gate;
    });
    await holding; // the lock is held before either request starts
    const before = await counts();
    const body = { name: 'race-role', permissions: ['areas.read'] };
    const both = Promise.all([admin.post('/api/v1/roles', body), admin.post('/api/v1/roles', body)]);
    await waitForLockWaiters(2);
    release();
    await blocker;
    const results = await both;
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(results.find((r) => r.status === 409)!.body.error.code).toBe('RESOURCE_CONFLICT');
    const after = await counts();
    expect(after.roles).toBe(before.roles + 1);
    expect(after.audit).toBe(before.audit + 1);
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
