import type { WechatSandbox } from '@quadmeter/payment-wechat/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../../test/client.ts';
import type { TestPlatform } from '../../../test/platform.ts';
import { type Area, demoAreas, otherTenant, userWith } from './archive-fixtures.ts';
import { customerWithAccount } from './payment-fixtures.ts';
import { nativeOrder, orderCounts, platformWithWechat } from './payment-order-fixtures.ts';

let p: TestPlatform;
let sb: WechatSandbox;
let admin: Client;
let b: Client;
let areas: Record<string, Area>;
const a: Record<string, string> = {};
const bIds: Record<string, string> = {};

const refund = (no: string) => ({ refundNo: no, amountFen: 100, reason: '退款' });

beforeAll(async () => {
  ({ p, sb, admin } = await platformWithWechat());
  areas = await demoAreas(admin);
  a.account = (await customerWithAccount(admin, areas['1单元'].id, 'OA1')).accountId;
  a.order = (await nativeOrder(admin, a.account, 1000)).id;
  const paid = await nativeOrder(admin, a.account, 1000);
  a.paid = paid.id;
  expect((await sb.deliver(sb.pay(paid.orderNo))).status).toBe(200);

  b = await otherTenant(p);
  expect((await b.put('/api/v1/plugins/payment-wechat/tenant', { enabled: true })).status).toBe(200);
  const bArea = (await b.post('/api/v1/areas', { parentId: null, name: 'B公司', kind: 'company' })).body.id;
  bIds.account = (await customerWithAccount(b, bArea, 'OB1')).accountId;
  const bPaid = await nativeOrder(b, bIds.account, 1000);
  bIds.order = bPaid.id;
  expect((await sb.deliver(sb.pay(bPaid.orderNo))).status).toBe(200);
});
afterAll(async () => {
  await p?.stop();
  await sb?.close();
});

describe('cross-tenant probes', () => {
  it('answers 404 on every order route for the other tenant’s ids, writing nothing', async () => {
    const before = await orderCounts(p);
    const probes: [string, string, unknown, string][] = [
      ['GET', `/api/v1/payment-orders/${bIds.order}`, undefined, 'PAY_ORDER_NOT_FOUND'],
      ['POST', `/api/v1/payment-orders/${bIds.order}/query`, {}, 'PAY_ORDER_NOT_FOUND'],
      ['POST', `/api/v1/payment-orders/${bIds.order}/close`, {}, 'PAY_ORDER_NOT_FOUND'],
      ['POST', `/api/v1/payment-orders/${bIds.order}/refunds`, refund('RF-XT-00001'), 'PAY_ORDER_NOT_FOUND'],
      [
        'POST',
        '/api/v1/payment-orders',
        { accountId: bIds.account, provider: 'payment-wechat', channel: 'native', amountFen: 1 },
        'RESOURCE_NOT_FOUND',
      ],
    ];
    for (const [method, path, body, code] of probes) {
      const r = await admin.request(method, path, body);
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(r.body.error.code, `${method} ${path}`).toBe(code);
    }
    expect(await orderCounts(p)).toEqual(before);
    const listed = (await admin.get('/api/v1/payment-orders')).body.items.map((x: { id: string }) => x.id);
    expect(listed).not.toContain(bIds.order);
    expect(listed).toEqual(expect.arrayContaining([a.order, a.paid]));
    expect((await b.get(`/api/v1/payment-orders/${bIds.order}`)).body.refunds).toEqual([]);
  });
});

describe('area scope', () => {
  it('a user scoped to another building sees and acts on none of these orders', async () => {
    const outsider = await userWith(
      p,
      admin,
      'online-b2',
      ['payments.collect', 'payments.read', 'payments.refund', 'customers.read'],
      [areas['2号楼'].id],
    );
    const before = await orderCounts(p);
    const probes: [string, string, unknown, string][] = [
      ['GET', `/api/v1/payment-orders/${a.order}`, undefined, 'PAY_ORDER_NOT_FOUND'],
      ['POST', `/api/v1/payment-orders/${a.order}/query`, {}, 'PAY_ORDER_NOT_FOUND'],
      ['POST', `/api/v1/payment-orders/${a.order}/close`, {}, 'PAY_ORDER_NOT_FOUND'],
      ['POST', `/api/v1/payment-orders/${a.paid}/refunds`, refund('RF-AS-00001'), 'PAY_ORDER_NOT_FOUND'],
      [
        'POST',
        '/api/v1/payment-orders',
        { accountId: a.account, provider: 'payment-wechat', channel: 'native', amountFen: 1 },
        'RESOURCE_NOT_FOUND',
      ],
    ];
    for (const [method, path, body, code] of probes) {
      const r = await outsider.request(method, path, body);
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(r.body.error.code, `${method} ${path}`).toBe(code);
    }
    expect(await orderCounts(p)).toEqual(before);
    expect((await outsider.get('/api/v1/payment-orders')).body.items).toEqual([]);
  });
});

describe('privileges', () => {
  it('answers 403 AUTH_FORBIDDEN without the permission; refunding needs payments.refund', async () => {
    const reader = await userWith(p, admin, 'po-reader', ['payments.read']);
    const collector = await userWith(p, admin, 'po-collector', ['payments.collect', 'payments.read']);
    const nobody = await userWith(p, admin, 'po-nobody', ['customers.read']);
    const before = await orderCounts(p);
    const cases: [Client, string, string, unknown?][] = [
      [
        reader,
        'POST',
        '/api/v1/payment-orders',
        { accountId: a.account, provider: 'payment-wechat', channel: 'native', amountFen: 1 },
      ],
      [reader, 'POST', `/api/v1/payment-orders/${a.order}/query`, {}],
      [reader, 'POST', `/api/v1/payment-orders/${a.order}/close`, {}],
      [reader, 'POST', `/api/v1/payment-orders/${a.paid}/refunds`, refund('RF-PV-00001')],
      [collector, 'POST', `/api/v1/payment-orders/${a.paid}/refunds`, refund('RF-PV-00002')],
      [nobody, 'GET', '/api/v1/payment-orders'],
      [nobody, 'GET', `/api/v1/payment-orders/${a.order}`],
    ];
    for (const [c, method, path, body] of cases) {
      const r = await c.request(method, path, body);
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(r.body.error.code, `${method} ${path}`).toBe('AUTH_FORBIDDEN');
    }
    expect(await orderCounts(p)).toEqual(before);
  });

  it('a tenant that has not switched the provider on cannot create orders (PLUGIN_DISABLED)', async () => {
    expect((await admin.put('/api/v1/plugins/payment-wechat/tenant', { enabled: false })).status).toBe(200);
    const before = await orderCounts(p);
    const r = await admin.post('/api/v1/payment-orders', {
      accountId: a.account,
      provider: 'payment-wechat',
      channel: 'native',
      amountFen: 100,
    });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('PLUGIN_DISABLED');
    expect(await orderCounts(p)).toEqual(before);
    expect((await admin.put('/api/v1/plugins/payment-wechat/tenant', { enabled: true })).status).toBe(200);
  });
});

describe('bad input', () => {
  it('answers stable 4xx codes for wrong types, NUL bytes, huge or non-positive amounts and empty bodies, writing nothing', async () => {
    const ok = { accountId: a.account, provider: 'payment-wechat', channel: 'native', amountFen: 100 };
    const cases: [string, string, unknown, number, string][] = [
      ['POST', '/api/v1/payment-orders', {}, 400, 'REQ_VALIDATION'],
      ['POST', '/api/v1/payment-orders', { ...ok, amountFen: 0 }, 400, 'REQ_VALIDATION'],
      ['POST', '/api/v1/payment-orders', { ...ok, amountFen: -1 }, 400, 'REQ_VALIDATION'],
      ['POST', '/api/v1/payment-orders', { ...ok, amountFen: 1.5 }, 400, 'REQ_VALIDATION'],
      ['POST', '/api/v1/payment-orders', { ...ok, amountFen: '12.30' }, 400, 'REQ_VALIDATION'],
      ['POST', '/api/v1/payment-orders', { ...ok, amountFen: 1e20 }, 400, 'REQ_VALIDATION'],
      ['POST', '/api/v1/payment-orders', { ...ok, amountFen: '999999999999999999' }, 400, 'REQ_VALIDATION'],
      ['POST', '/api/v1/payment-orders', { ...ok, amountFen: 100000000001 }, 400, 'REQ_VALIDATION'],
      ['POST', '/api/v1/payment-orders', { ...ok, accountId: 'nope' }, 400, 'REQ_VALIDATION'],
      ['POST', '/api/v1/payment-orders', { ...ok, channel: 'h5' }, 400, 'REQ_VALIDATION'],
      ['POST', '/api/v1/payment-orders', { ...ok, channel: 'jsapi' }, 400, 'REQ_VALIDATION'],
      ['POST', '/api/v1/payment-orders', { ...ok, description: 'a\u0000b' }, 400, 'REQ_VALIDATION'],
      ['POST', '/api/v1/payment-orders', { ...ok, provider: 'payment-wechat\u0000' }, 400, 'REQ_VALIDATION'],
      ['POST', '/api/v1/payment-orders', { ...ok, extra: 1 }, 400, 'REQ_VALIDATION'],
      ['POST', '/api/v1/payment-orders', { ...ok, provider: 'payment-cash' }, 422, 'PAY_PROVIDER_UNKNOWN'],
      ['POST', '/api/v1/payment-orders', { ...ok, provider: 'payment-nosuch' }, 422, 'PAY_PROVIDER_UNKNOWN'],
      ['POST', '/api/v1/payment-orders', 'not json', 400, 'REQ_JSON_MALFORMED'],
      ['POST', `/api/v1/payment-orders/${a.paid}/refunds`, {}, 400, 'REQ_VALIDATION'],
      [
        'POST',
        `/api/v1/payment-orders/${a.paid}/refunds`,
        { ...refund('RF-BI-00001'), amountFen: 0 },
        400,
        'REQ_VALIDATION',
      ],
      [
        'POST',
        `/api/v1/payment-orders/${a.paid}/refunds`,
        { ...refund('RF-BI-00001'), amountFen: -5 },
        400,
        'REQ_VALIDATION',
      ],
      [
        'POST',
        `/api/v1/payment-orders/${a.paid}/refunds`,
        { ...refund('RF-BI-00001'), amountFen: 1e20 },
        400,
        'REQ_VALIDATION',
      ],
      [
        'POST',
        `/api/v1/payment-orders/${a.paid}/refunds`,
        { ...refund('RF-BI-00001'), reason: '\u0000' },
        400,
        'REQ_VALIDATION',
      ],
      [
        'POST',
        `/api/v1/payment-orders/${a.paid}/refunds`,
        { ...refund('RF-BI-00001'), reason: ' ' },
        400,
        'REQ_VALIDATION',
      ],
      ['POST', `/api/v1/payment-orders/${a.paid}/refunds`, refund('short'), 400, 'REQ_VALIDATION'],
      ['POST', `/api/v1/payment-orders/${a.paid}/refunds`, refund('RF\u0000-0000001'), 400, 'REQ_VALIDATION'],
      [
        'POST',
        `/api/v1/payment-orders/${a.paid}/refunds`,
        { ...refund('RF-BI-00001'), amountFen: 1001 },
        422,
        'PAY_REFUND_TOO_LARGE',
      ],
      ['GET', '/api/v1/payment-orders/not-a-uuid', undefined, 400, 'REQ_VALIDATION'],
      ['GET', '/api/v1/payment-orders?status=lost', undefined, 400, 'REQ_VALIDATION'],
      ['GET', '/api/v1/payment-orders?limit=100000', undefined, 400, 'REQ_VALIDATION'],
      [
        'POST',
        '/api/v1/payment-orders/00000000-0000-4000-8000-000000000000/close',
        {},
        404,
        'PAY_ORDER_NOT_FOUND',
      ],
    ];
    const before = await orderCounts(p);
    for (const [method, path, body, status, code] of cases) {
      const r = await admin.request(method, path, body);
      expect(r.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(status);
      expect(r.body.error.code, `${method} ${path} ${JSON.stringify(body)}`).toBe(code);
    }
    expect(await orderCounts(p)).toEqual(before);
  });

  it('a callback that is not even signed, empty or oversized is refused at the hook with exact codes', async () => {
    const before = await orderCounts(p);
    const url = `${p.baseUrl}/hooks/payment-wechat/notify`;
    const empty = await fetch(url, { method: 'POST' });
    expect(empty.status).toBe(401);
    expect(((await empty.json()) as { error: { code: string } }).error.code).toBe('PAY_SIGNATURE_INVALID');
    const huge = await fetch(url, {
      method: 'POST',
      body: 'x'.repeat(70 * 1024),
      headers: { 'content-type': 'application/json' },
    });
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as { error: { code: string } }).error.code).toBe('REQ_BODY_TOO_LARGE');
    expect(await orderCounts(p)).toEqual(before);
  });
});
