import type { WechatSandbox } from '@quadmeter/payment-wechat/sandbox';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../../test/client.ts';
import type { TestPlatform } from '../../../test/platform.ts';
import { withSystem } from '../../db/tenant.ts';
import { type OAuthSandbox, startOAuthSandbox } from '../../services/self/oauth-sandbox.ts';
import { demoAreas, otherTenant } from './archive-fixtures.ts';
import { customerWithAccount } from './payment-fixtures.ts';
import { platformWithWechat } from './payment-order-fixtures.ts';
import { bindBySms, customerLogin, type SelfClient, selfCounts, smsCode } from './self-fixtures.ts';

let p: TestPlatform;
let sb: WechatSandbox;
let oauth: OAuthSandbox;
let admin: Client;
let alice: SelfClient;
let mallory: SelfClient;
let outsider: SelfClient;
const ids: Record<string, string> = {};

beforeAll(async () => {
  oauth = await startOAuthSandbox();
  ({ p, sb, admin } = await platformWithWechat({ QUADMETER_SELF_OAUTH: oauth.config }));
  const areas = await demoAreas(admin);
  ids.account = (await customerWithAccount(admin, areas['1单元'].id, 'SA1', '13800000001')).accountId;
  ids.other = (await customerWithAccount(admin, areas['1单元'].id, 'SA2', '13800000002')).accountId;
  const b = await otherTenant(p);
  expect((await b.put('/api/v1/plugins/payment-wechat/tenant', { enabled: true })).status).toBe(200);
  const bArea = (await b.post('/api/v1/areas', { parentId: null, name: 'B公司', kind: 'company' })).body.id;
  ids.bAccount = (await customerWithAccount(b, bArea, 'SB1', '13900000001')).accountId;

  alice = await customerLogin(p, oauth, 'demo', 'alice');
  mallory = await customerLogin(p, oauth, 'demo', 'mallory');
  outsider = await customerLogin(p, oauth, 'other', 'olga');
  await bindBySms(p, alice, ids.account, 'PA-SA1');
  await bindBySms(p, outsider, ids.bAccount, 'PA-SB1');
  // alice pays 12.00 so there are an order, a payment and a receipt to probe
  const made = await alice.post(`/api/v1/self/accounts/${ids.account}/orders`, { amountFen: 1200 });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  ids.order = made.body.id;
  expect((await sb.deliver(sb.pay(made.body.orderNo))).status).toBe(200);
  const paid = await alice.get(`/api/v1/self/orders/${ids.order}`);
  expect(paid.body.status).toBe('paid');
  ids.payment = paid.body.paymentId;
  const bMade = await outsider.post(`/api/v1/self/accounts/${ids.bAccount}/orders`, { amountFen: 100 });
  expect(bMade.status).toBe(201);
  ids.bOrder = bMade.body.id;
}, 60_000);
afterAll(async () => {
  await p?.stop();
  await sb?.close();
  await oauth?.close();
});

describe('sign-in through the web authorisation sandbox', () => {
  it('a returning customer (same openid) lands on the same identity; another user is another one', async () => {
    const again = await customerLogin(p, oauth, 'demo', 'alice');
    const mine = await again.get('/api/v1/self/accounts');
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((a: { id: string }) => a.id)).toEqual([ids.account]);
    expect((await mallory.get('/api/v1/self/accounts')).body.items).toEqual([]);
  });

  it('refuses a callback without the state cookie or with a replayed code', async () => {
    const r = await fetch(`${p.baseUrl}/api/v1/self/oauth/callback?code=abc&state=x`, { redirect: 'manual' });
    expect(r.status).toBe(400);
    expect(((await r.json()) as { error: { code: string } }).error.code).toBe('SELF_OAUTH_FAILED');
  });

  it('answers SELF_AUTH_REQUIRED without a customer session, also to an operator session', async () => {
    const before = await selfCounts(p);
    const anon = await fetch(`${p.baseUrl}/api/v1/self/accounts`);
    expect(anon.status).toBe(401);
    expect(((await anon.json()) as { error: { code: string } }).error.code).toBe('SELF_AUTH_REQUIRED');
    const forged = await fetch(`${p.baseUrl}/api/v1/self/accounts/${ids.account}`, {
      headers: { cookie: `qm_self=${alice.cookie.split('=')[1].split('.')[0]}.${'A'.repeat(43)}` },
    });
    expect(forged.status).toBe(401);
    expect(((await forged.json()) as { error: { code: string } }).error.code).toBe('SELF_AUTH_REQUIRED');
    const op = await admin.get(`/api/v1/self/accounts/${ids.account}`);
    expect(op.status).toBe(401);
    expect(op.body.error.code).toBe('SELF_AUTH_REQUIRED');
    // and a customer cookie opens nothing of the admin API
    const asAdmin = await alice.get(`/api/v1/accounts/${ids.account}`);
    expect(asAdmin.status).toBe(401);
    expect(await selfCounts(p)).toEqual(before);
  });
});

describe('a customer cannot see or pay into an account they have not bound (probes by id)', () => {
  const probes = () =>
    [
      ['GET', `/api/v1/self/accounts/${ids.account}`, undefined],
      ['GET', `/api/v1/self/accounts/${ids.account}/bills`, undefined],
      ['GET', `/api/v1/self/accounts/${ids.account}/payments`, undefined],
      ['GET', `/api/v1/self/accounts/${ids.account}/notices`, undefined],
      ['GET', `/api/v1/self/accounts/${ids.account}/usage?meterId=${ids.other}`, undefined],
      ['POST', `/api/v1/self/accounts/${ids.account}/orders`, { amountFen: 100 }],
      ['DELETE', `/api/v1/self/bindings/${ids.account}`, undefined],
      ['GET', `/api/v1/self/orders/${ids.order}`, undefined],
      ['POST', `/api/v1/self/orders/${ids.order}/check`, {}],
      ['GET', `/api/v1/self/payments/${ids.payment}/receipt`, undefined],
    ] as const;

  it('another customer of the same tenant gets SELF_NOT_FOUND on every id of alice, writing nothing', async () => {
    const before = await selfCounts(p);
    for (const [method, path, body] of probes()) {
      const r = await mallory.request(method, path, body);
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(r.body.error.code, `${method} ${path}`).toBe('SELF_NOT_FOUND');
    }
    expect(await selfCounts(p)).toEqual(before);
  });

  it('a customer of another tenant gets SELF_NOT_FOUND too; alice cannot reach that tenant’s ids', async () => {
    const before = await selfCounts(p);
    for (const [method, path, body] of probes()) {
      const r = await outsider.request(method, path, body);
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(r.body.error.code, `${method} ${path}`).toBe('SELF_NOT_FOUND');
    }
    for (const path of [`/api/v1/self/accounts/${ids.bAccount}`, `/api/v1/self/orders/${ids.bOrder}`]) {
      const r = await alice.get(path);
      expect(r.status, path).toBe(404);
      expect(r.body.error.code).toBe('SELF_NOT_FOUND');
    }
    const pay = await alice.post(`/api/v1/self/accounts/${ids.bAccount}/orders`, { amountFen: 100 });
    expect(pay.body.error.code).toBe('SELF_NOT_FOUND');
    expect(await selfCounts(p)).toEqual(before);
  });

  it('an account alice never bound (SA2, same tenant and area) is not reachable either', async () => {
    const r = await alice.get(`/api/v1/self/accounts/${ids.other}`);
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('SELF_NOT_FOUND');
  });
});

describe('verification codes', () => {
  it('are single-use, count wrong tries, and sending is rate-limited (429)', async () => {
    const c = await customerLogin(p, oauth, 'demo', 'carol');
    const sent = await c.post('/api/v1/self/codes', { accountNumber: 'PA-SA2' });
    expect(sent.status).toBe(202);
    const code = await smsCode(p, ids.other);
    const again = await c.post('/api/v1/self/codes', { accountNumber: 'PA-SA2' });
    expect(again.status).toBe(429);
    expect(again.body.error.code).toBe('SELF_RATE_LIMITED');
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    const before = await selfCounts(p);
    const bad = await c.post('/api/v1/self/bindings', { accountNumber: 'PA-SA2', code: wrong });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('SELF_CODE_INVALID');
    const after = await selfCounts(p);
    expect(after.attempts).toBe(before.attempts + 1);
    expect(after.bindings).toBe(before.bindings);
    const ok = await c.post('/api/v1/self/bindings', { accountNumber: 'PA-SA2', code });
    expect(ok.status).toBe(201);
    expect(ok.body.id).toBe(ids.other);
    const replay = await mallory.post('/api/v1/self/bindings', { accountNumber: 'PA-SA2', code });
    expect(replay.body.error.code).toBe('SELF_CODE_INVALID');
    const reuse = await c.post('/api/v1/self/bindings', { accountNumber: 'PA-SA2', code });
    expect(reuse.body.error.code).toBe('SELF_CODE_INVALID');
    // the code is never stored in clear
    const [row] = await withSystem(p.running.platform.db, (tx) =>
      tx.execute<{ n: number }>(sql`select count(*)::int as n from self_codes where code_hash = ${code}`),
    );
    expect(row.n).toBe(0);
  });

  it('stops checking after the hourly budget of tries (429) and an unknown number sends nothing', async () => {
    const c = await customerLogin(p, oauth, 'demo', 'dave');
    const before = await selfCounts(p);
    const ghost = await c.post('/api/v1/self/codes', { accountNumber: 'NO-SUCH-1' });
    expect(ghost.status).toBe(202); // the same answer: no enumeration of account numbers
    expect(await selfCounts(p)).toEqual(before);
    expect((await c.post('/api/v1/self/codes', { accountNumber: 'PA-SA1' })).status).toBe(202);
    const code = await smsCode(p, ids.account);
    const wrong = String((Number(code) + 7) % 1_000_000).padStart(6, '0');
    for (let i = 0; i < 5; i++) {
      const r = await c.post('/api/v1/self/bindings', { accountNumber: 'PA-SA1', code: wrong });
      expect(r.body.error.code).toBe('SELF_CODE_INVALID');
    }
    // five wrong tries killed the code: the right one no longer binds
    const dead = await c.post('/api/v1/self/bindings', { accountNumber: 'PA-SA1', code });
    expect(dead.body.error.code).toBe('SELF_CODE_INVALID');
    await withSystem(p.running.platform.db, (tx) =>
      tx.execute(sql`update self_codes set attempts = 10 where code_hash <> '' and identity_id in
        (select id from self_identities where openid = (select openid from self_identities order by created_at desc limit 1))`),
    );
    const limited = await c.post('/api/v1/self/bindings', { accountNumber: 'PA-SA1', code });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('SELF_RATE_LIMITED');
  });
});

describe('bad input answers stable 4xx codes and writes nothing', () => {
  it('NUL, huge, empty, wrong types, unknown keys, malformed ids', async () => {
    const before = await selfCounts(p);
    const cases: [string, string, unknown, number, string][] = [
      ['POST', '/api/v1/self/codes', { accountNumber: 'PA\u0000SA1' }, 400, 'REQ_VALIDATION'],
      ['POST', '/api/v1/self/codes', { accountNumber: 'x'.repeat(100_000) }, 400, 'REQ_VALIDATION'],
      ['POST', '/api/v1/self/codes', {}, 400, 'REQ_VALIDATION'],
      ['POST', '/api/v1/self/codes', { accountNumber: 12 }, 400, 'REQ_VALIDATION'],
      ['POST', '/api/v1/self/codes', { accountNumber: 'PA-SA1', extra: 1 }, 400, 'REQ_VALIDATION'],
      [
        'POST',
        '/api/v1/self/bindings',
        { accountNumber: 'PA-SA1', code: '12345\u0000' },
        400,
        'REQ_VALIDATION',
      ],
      ['POST', '/api/v1/self/bindings', { accountNumber: 'PA-SA1', code: 123456 }, 400, 'REQ_VALIDATION'],
      ['POST', '/api/v1/self/bindings', { accountNumber: 'PA-SA1' }, 400, 'REQ_VALIDATION'],
      ['POST', `/api/v1/self/accounts/${ids.account}/orders`, {}, 400, 'REQ_VALIDATION'],
      ['POST', `/api/v1/self/accounts/${ids.account}/orders`, { amountFen: '50' }, 400, 'REQ_VALIDATION'],
      ['POST', `/api/v1/self/accounts/${ids.account}/orders`, { amountFen: 0 }, 400, 'REQ_VALIDATION'],
      ['POST', `/api/v1/self/accounts/${ids.account}/orders`, { amountFen: 1.5 }, 400, 'REQ_VALIDATION'],
      ['POST', `/api/v1/self/accounts/${ids.account}/orders`, { amountFen: 1e15 }, 400, 'REQ_VALIDATION'],
      ['POST', `/api/v1/self/accounts/${ids.account}/orders`, { billId: 'nope' }, 400, 'REQ_VALIDATION'],
      ['POST', `/api/v1/self/accounts/${ids.account}/orders`, '[]', 400, 'REQ_VALIDATION'],
      ['POST', `/api/v1/self/accounts/${ids.account}/orders`, '{"amountFen":', 400, 'REQ_JSON_MALFORMED'],
      ['GET', '/api/v1/self/accounts/not-a-uuid', undefined, 400, 'REQ_VALIDATION'],
      ['GET', `/api/v1/self/accounts/${ids.account}/usage?meterId=x`, undefined, 400, 'REQ_VALIDATION'],
      [
        'GET',
        `/api/v1/self/accounts/${ids.account}/usage?meterId=${ids.account}&period=hourly`,
        undefined,
        400,
        'REQ_VALIDATION',
      ],
      ['DELETE', '/api/v1/self/bindings/%00', undefined, 400, 'REQ_VALIDATION'],
    ];
    for (const [method, path, body, status, code] of cases) {
      const r = await alice.request(method, path, body);
      expect(r.status, `${method} ${path} ${String(body).slice(0, 40)}`).toBe(status);
      expect(r.body.error.code, `${method} ${path}`).toBe(code);
    }
    expect(await selfCounts(p)).toEqual(before);
  });
});

describe('receipts', () => {
  it('a payment’s receipt is the tenant-template receipt document, issued once and then replayed', async () => {
    const before = await selfCounts(p);
    const first = await alice.request('GET', `/api/v1/self/payments/${ids.payment}/receipt`);
    expect(first.status).toBe(200);
    expect(first.body.raw).toContain('PA-SA1');
    expect(first.body.raw).toContain('12.00');
    const mid = await selfCounts(p);
    expect(mid.documents).toBe(before.documents + 1);
    const again = await alice.request('GET', `/api/v1/self/payments/${ids.payment}/receipt`);
    expect(again.body.raw).toBe(first.body.raw);
    expect((await selfCounts(p)).documents).toBe(mid.documents);
  });
});

describe('a lost callback', () => {
  it('check asks the provider and credits a paid order once', async () => {
    const made = await alice.post(`/api/v1/self/accounts/${ids.account}/orders`, { amountFen: 300 });
    expect(made.status).toBe(201);
    sb.pay(made.body.orderNo); // paid in WeChat, the callback never arrives
    expect((await alice.get(`/api/v1/self/orders/${made.body.id}`)).body.status).toBe('paying');
    const before = await selfCounts(p);
    const checked = await alice.post(`/api/v1/self/orders/${made.body.id}/check`);
    expect(checked.status).toBe(200);
    expect(checked.body.status).toBe('paid');
    expect(checked.body.paymentId).toMatch(/^[0-9a-f-]{36}$/);
    const again = await alice.post(`/api/v1/self/orders/${made.body.id}/check`);
    expect(again.body.status).toBe('paid');
    expect((await selfCounts(p)).payments).toBe(before.payments + 1);
  });
});

describe('session end and cross-site posts', () => {
  it('a form post (not JSON) is refused before anything runs; logout ends the session', async () => {
    const before = await selfCounts(p);
    const form = await alice.request('POST', '/api/v1/self/codes', 'accountNumber=PA-SA1', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(form.status).toBe(415);
    expect(form.body.error.code).toBe('REQ_UNSUPPORTED_MEDIA');
    expect(await selfCounts(p)).toEqual(before);
    const c = await customerLogin(p, oauth, 'demo', 'erin');
    expect((await c.get('/api/v1/self/accounts')).status).toBe(200);
    const out = await c.post('/api/v1/self/logout');
    expect(out.status).toBe(204);
    const after = await c.get('/api/v1/self/accounts');
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('SELF_AUTH_REQUIRED');
  });
});

describe('audit and unbinding', () => {
  it('records customer actions under the customer identity, and unbinding closes the account to them', async () => {
    const rows = await withSystem(p.running.platform.db, (tx) =>
      tx.execute<{ action: string; actor_type: string }>(sql`select action, actor_type from audit_log
        where action like 'self.%' order by id`),
    );
    const actions = new Set(rows.map((r) => r.action));
    for (const a of [
      'self.login',
      'self.logout',
      'self.code-sent',
      'self.bind',
      'self.order',
      'self.receipt-issued',
    ])
      expect(actions.has(a), a).toBe(true);
    expect(new Set(rows.map((r) => r.actor_type))).toEqual(new Set(['customer']));
    const c = await customerLogin(p, oauth, 'demo', 'carol');
    const gone = await c.delete(`/api/v1/self/bindings/${ids.other}`);
    expect(gone.status).toBe(204);
    const after = await c.get(`/api/v1/self/accounts/${ids.other}`);
    expect(after.body.error.code).toBe('SELF_NOT_FOUND');
    const twice = await c.delete(`/api/v1/self/bindings/${ids.other}`);
    expect(twice.body.error.code).toBe('SELF_NOT_FOUND');
  });
});
