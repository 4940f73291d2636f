import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, loggedIn } from '../../../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/platform.ts';
import { withSystem } from '../../db/tenant.ts';
import { type OAuthSandbox, startOAuthSandbox } from '../../services/self/oauth-sandbox.ts';
import { demoAreas, otherTenant, userWith } from './archive-fixtures.ts';
import { customerWithAccount } from './payment-fixtures.ts';
import { customerLogin, type SelfClient, selfCounts } from './self-fixtures.ts';

let p: TestPlatform;
let oauth: OAuthSandbox;
let admin: Client;
let other: Client;
let alice: SelfClient;
let mallory: SelfClient;
let olga: SelfClient;
const ids: Record<string, string> = {};

const idCounts = async () => {
  const [row] = await withSystem(p.running.platform.db, (tx) =>
    tx.execute(sql`select (select count(*) from self_id_attempts)::int as tries,
      (select count(*) from self_settings)::int as settings`),
  );
  return { ...(await selfCounts(p)), ...(row as Record<string, number>) };
};
const setIdNumber = (customerId: string, idNumber: string) =>
  withSystem(p.running.platform.db, (tx) =>
    tx.execute(sql`update customers set id_number = ${idNumber} where id = ${customerId}`),
  );
const bind = (c: SelfClient, accountNumber: string, idDigits: unknown) =>
  c.post('/api/v1/self/bindings/id-digits', { accountNumber, idDigits });

beforeAll(async () => {
  oauth = await startOAuthSandbox();
  p = await startTestPlatform({ QUADMETER_SELF_OAUTH: oauth.config });
  admin = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
  const areas = await demoAreas(admin);
  const a = await customerWithAccount(admin, areas['1单元'].id, 'ID1', '13800000011');
  await setIdNumber(a.customerId, '11010519491231002x');
  ids.account = a.accountId;
  const b = await customerWithAccount(admin, areas['1单元'].id, 'ID2', null);
  await setIdNumber(b.customerId, '110105194912310456');
  ids.locked = b.accountId;
  for (const n of ['ID3', 'ID4']) {
    const c = await customerWithAccount(admin, areas['1单元'].id, n, null);
    await setIdNumber(c.customerId, '110105194912310111');
  }
  other = await otherTenant(p);
  const bArea = (await other.post('/api/v1/areas', { parentId: null, name: 'B公司', kind: 'company' })).body
    .id;
  const ob = await customerWithAccount(other, bArea, 'IDB', null);
  await setIdNumber(ob.customerId, '110105194912310789');
  ids.bAccount = ob.accountId;
  ids.area = areas['2号楼'].id;
  alice = await customerLogin(p, oauth, 'demo', 'alice');
  mallory = await customerLogin(p, oauth, 'demo', 'mallory');
  olga = await customerLogin(p, oauth, 'other', 'olga');
}, 60_000);
afterAll(async () => {
  await p?.stop();
  await oauth?.close();
});

describe('the tenant setting decides the binding method', () => {
  it('defaults to sms: the id-digits binding answers SELF_METHOD_NOT_ALLOWED and writes nothing', async () => {
    expect((await alice.get('/api/v1/self/settings')).body).toEqual({ bindMethod: 'sms' });
    const before = await idCounts();
    const r = await bind(alice, 'PA-ID1', '31002X');
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('SELF_METHOD_NOT_ALLOWED');
    expect(await idCounts()).toEqual(before);
  });

  it('id_digits only: the SMS code is refused with the same code, nothing queued', async () => {
    const set = await admin.put('/api/v1/self-settings', { bindMethod: 'id_digits' });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body).toEqual({ bindMethod: 'id_digits' });
    expect((await alice.get('/api/v1/self/settings')).body).toEqual({ bindMethod: 'id_digits' });
    const before = await idCounts();
    const r = await alice.post('/api/v1/self/codes', { accountNumber: 'PA-ID1' });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('SELF_METHOD_NOT_ALLOWED');
    const b = await alice.post('/api/v1/self/bindings', { accountNumber: 'PA-ID1', code: '123456' });
    expect(b.body.error.code).toBe('SELF_METHOD_NOT_ALLOWED');
    expect(await idCounts()).toEqual(before);
  });
});

describe('binding by the last six characters of the ID number', () => {
  it('binds with the right characters (a lower-case x on file matches X), audited under the customer', async () => {
    const r = await bind(alice, 'PA-ID1', '31002X');
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.id).toBe(ids.account);
    const mine = await alice.get('/api/v1/self/accounts');
    expect(mine.body.items.map((a: { id: string }) => a.id)).toEqual([ids.account]);
    const [row] = await withSystem(p.running.platform.db, (tx) =>
      tx.execute<{ method: string; action: string; after_method: string }>(sql`
        select b.method, l.action, l.after->>'method' as after_method from self_bindings b
          join audit_log l on l.target_id = b.account_id::text and l.action = 'self.bind'
        where b.account_id = ${ids.account}`),
    );
    expect(row).toMatchObject({ method: 'id_number', action: 'self.bind', after_method: 'id_number' });
    const again = await bind(alice, 'PA-ID1', '31002x');
    expect(again.status).toBe(200);
  });

  it('wrong characters and an unknown account answer the same SELF_BIND_FAILED; a try is counted', async () => {
    const before = await idCounts();
    const wrong = await bind(mallory, 'PA-ID1', '310021');
    const unknown = await bind(mallory, 'PA-NOPE', '310021');
    expect([wrong.status, wrong.body.error.code]).toEqual([400, 'SELF_BIND_FAILED']);
    expect([unknown.status, unknown.body.error.code]).toEqual([400, 'SELF_BIND_FAILED']);
    expect(wrong.body.error.message).toBe(unknown.body.error.message);
    const after = await idCounts();
    expect(after.tries).toBe(before.tries + 1);
    expect(after.bindings).toBe(before.bindings);
  });

  it('locks out after the per-account wrong tries (429 SELF_RATE_LIMITED), even for the right digits', async () => {
    const crowd = [
      mallory,
      ...(await Promise.all([1, 2].map((i) => customerLogin(p, oauth, 'demo', `crowd${i}`)))),
    ];
    let wrongs = 0;
    for (let i = 0; i < 10; i++) {
      const r = await bind(crowd[i % 3], 'PA-ID2', '000000');
      if (r.status === 400) wrongs++;
      else expect(r.body.error.code).toBe('SELF_RATE_LIMITED');
    }
    expect(wrongs).toBeGreaterThan(0);
    const right = await bind(crowd[2], 'PA-ID2', '310456');
    expect(right.status).toBe(429);
    expect(right.body.error.code).toBe('SELF_RATE_LIMITED');
    expect(right.body.error.details.retryAfterSeconds).toBe(3600);
  });

  it('locks out one customer after TRIES_PER_HOUR tries across accounts', async () => {
    const eve = await customerLogin(p, oauth, 'demo', 'eve');
    const codes: string[] = [];
    for (let i = 0; i < 11; i++)
      codes.push((await bind(eve, i % 2 ? 'PA-ID3' : 'PA-ID4', '999999')).body.error.code);
    expect(codes.slice(0, 10)).toEqual(Array(10).fill('SELF_BIND_FAILED'));
    expect(codes[10]).toBe('SELF_RATE_LIMITED');
    const right = await bind(eve, 'PA-ID3', '310111');
    expect(right.body.error.code).toBe('SELF_RATE_LIMITED');
  });

  it("another tenant's customer cannot bind a demo account, nor demo one of the other tenant's", async () => {
    expect((await other.put('/api/v1/self-settings', { bindMethod: 'either' })).status).toBe(200);
    const before = await idCounts();
    const across = await bind(olga, 'PA-ID1', '31002X');
    expect(across.body.error.code).toBe('SELF_BIND_FAILED');
    const back = await bind(alice, 'PA-IDB', '310789');
    expect(back.body.error.code).toBe('SELF_BIND_FAILED');
    expect((await idCounts()).bindings).toBe(before.bindings);
    const own = await bind(olga, 'PA-IDB', '310789');
    expect(own.status).toBe(201);
    expect(own.body.id).toBe(ids.bAccount);
  });

  it('bad input (NUL, huge, wrong types, empty, extra keys) answers REQ_VALIDATION with nothing written', async () => {
    const before = await idCounts();
    const bodies: unknown[] = [
      {},
      { accountNumber: 'PA-ID1' },
      { accountNumber: 'PA-ID1', idDigits: 31002 },
      { accountNumber: 'PA-ID1', idDigits: '3100\u00002' },
      { accountNumber: 'PA-ID1\u0000', idDigits: '31002X' },
      { accountNumber: 'A'.repeat(100_000), idDigits: '31002X' },
      { accountNumber: 'PA-ID1', idDigits: '31002XX' },
      { accountNumber: 'PA-ID1', idDigits: '' },
      { accountNumber: 'PA-ID1', idDigits: 'X31002' },
      { accountNumber: 'PA-ID1', idDigits: '31002X', extra: 1 },
      { accountNumber: ['PA-ID1'], idDigits: '31002X' },
      null,
    ];
    for (const b of bodies) {
      const r = await alice.post('/api/v1/self/bindings/id-digits', b === null ? 'null' : b);
      expect(r.status, JSON.stringify(b)?.slice(0, 80)).toBe(400);
      expect(r.body.error.code, JSON.stringify(b)?.slice(0, 80)).toBe('REQ_VALIDATION');
    }
    const raw = await alice.request('POST', '/api/v1/self/bindings/id-digits', 'not json');
    expect(raw.status).toBe(400);
    expect(await idCounts()).toEqual(before);
  });
});

describe('the self-service settings route', () => {
  it("is per tenant: the other tenant's setting is its own", async () => {
    expect((await other.get('/api/v1/self-settings')).body).toEqual({ bindMethod: 'either' });
    expect((await admin.get('/api/v1/self-settings')).body).toEqual({ bindMethod: 'id_digits' });
  });

  it('an area-scoped user holding customers.write gets AUTH_SCOPE_TENANT_WIDE; nothing changes', async () => {
    const scoped = await userWith(p, admin, 'selfscoped', ['customers.read', 'customers.write'], [ids.area]);
    const before = await idCounts();
    const r = await scoped.put('/api/v1/self-settings', { bindMethod: 'sms' });
    expect([r.status, r.body.error.code]).toEqual([403, 'AUTH_SCOPE_TENANT_WIDE']);
    expect(await idCounts()).toEqual(before);
    expect((await admin.get('/api/v1/self-settings')).body).toEqual({ bindMethod: 'id_digits' });
  });

  it('a user without customers.write gets AUTH_FORBIDDEN; a reader may read', async () => {
    const viewer = await userWith(p, admin, 'selfviewer', ['customers.read']);
    const none = await userWith(p, admin, 'selfnone', ['meters.read']);
    expect((await viewer.get('/api/v1/self-settings')).body).toEqual({ bindMethod: 'id_digits' });
    const before = await idCounts();
    const r = await viewer.put('/api/v1/self-settings', { bindMethod: 'sms' });
    expect([r.status, r.body.error.code]).toEqual([403, 'AUTH_FORBIDDEN']);
    expect((await none.get('/api/v1/self-settings')).body.error.code).toBe('AUTH_FORBIDDEN');
    expect(await idCounts()).toEqual(before);
  });

  it('bad input answers REQ_VALIDATION with nothing written', async () => {
    const before = await idCounts();
    for (const b of [
      {},
      { bindMethod: 'email' },
      { bindMethod: 1 },
      { bindMethod: 'sms\u0000' },
      { bindMethod: 'x'.repeat(100_000) },
      { bindMethod: 'sms', x: 1 },
    ]) {
      const r = await admin.put('/api/v1/self-settings', b);
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('REQ_VALIDATION');
    }
    expect(await idCounts()).toEqual(before);
    expect((await admin.get('/api/v1/self-settings')).body).toEqual({ bindMethod: 'id_digits' });
  });
});
