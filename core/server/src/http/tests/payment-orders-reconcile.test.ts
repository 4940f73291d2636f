import type { WechatSandbox } from '@quadmeter/payment-wechat/sandbox';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../../test/client.ts';
import type { TestPlatform } from '../../../test/platform.ts';
import { todayIn } from '../../services/archives/scope.ts';
import { type Area, demoAreas, inDemo, otherTenant, userWith } from './archive-fixtures.ts';
import { customerWithAccount } from './payment-fixtures.ts';
import { nativeOrder, orderCounts, platformWithWechat } from './payment-order-fixtures.ts';

let p: TestPlatform;
let sb: WechatSandbox;
let admin: Client;
let b: Client;
let areas: Record<string, Area>;
const no: Record<string, string> = {};
let today: string;

beforeAll(async () => {
  ({ p, sb, admin } = await platformWithWechat());
  areas = await demoAreas(admin);
  today = todayIn('Asia/Shanghai');
  const acct = (await customerWithAccount(admin, areas['1单元'].id, 'RC1')).accountId;
  const matched = await nativeOrder(admin, acct, 2500);
  no.matched = matched.orderNo;
  expect((await sb.deliver(sb.pay(matched.orderNo))).status).toBe(200);
  const mismatch = await nativeOrder(admin, acct, 5000);
  no.mismatch = mismatch.orderNo;
  expect((await sb.deliver(sb.pay(mismatch.orderNo, { amountFen: 1 }))).status).toBe(200);
  const refunded = await nativeOrder(admin, acct, 3000);
  no.refunded = refunded.orderNo;
  expect((await sb.deliver(sb.pay(refunded.orderNo))).status).toBe(200);
  const rf = await admin.post(`/api/v1/payment-orders/${refunded.id}/refunds`, {
    refundNo: 'RF-RECON-0001',
    amountFen: 1000,
    reason: '多缴',
  });
  expect(rf.status).toBe(201);
  // paid here but never at the provider (what a bug or a forged write would leave)
  const ghost = await nativeOrder(admin, acct, 700);
  no.ghost = ghost.orderNo;
  await inDemo(p, (tx) =>
    tx.execute(
      sql`update payment_orders set status = 'paid', paid_at = now(), provider_txn_id = 'GHOST-1' where id = ${ghost.id}`,
    ),
  );

  b = await otherTenant(p);
  expect((await b.put('/api/v1/plugins/payment-wechat/tenant', { enabled: true })).status).toBe(200);
  const bArea = (await b.post('/api/v1/areas', { parentId: null, name: 'B公司', kind: 'company' })).body.id;
  const bAcct = (await customerWithAccount(b, bArea, 'RB1')).accountId;
  const bOrder = await nativeOrder(b, bAcct, 990);
  no.other = bOrder.orderNo;
  expect((await sb.deliver(sb.pay(bOrder.orderNo))).status).toBe(200);
});
afterAll(async () => {
  await p?.stop();
  await sb?.close();
});

describe('daily reconciliation against the trade bill', () => {
  it('reports missing locally, missing at the provider and differing amounts; matches the rest; leaves other tenants out', async () => {
    const before = await orderCounts(p);
    const r = await admin.post('/api/v1/payment-orders/reconciliations', {
      provider: 'payment-wechat',
      date: today,
      content: sb.statement(today),
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ provider: 'payment-wechat', date: today, lines: 4, matched: 3 });
    const items = r.body.items.map((i: Record<string, unknown>) => [
      i.kind,
      i.mismatch,
      i.orderNo,
      i.providerFen,
      i.localFen,
    ]);
    expect(items).toEqual(
      expect.arrayContaining([
        ['payment', 'missing_locally', no.mismatch, 1, 5000],
        ['payment', 'missing_at_provider', no.ghost, null, 700],
      ]),
    );
    expect(items).toHaveLength(2);
    expect(JSON.stringify(r.body)).not.toContain(no.other);
    expect(await orderCounts(p)).toEqual(before);

    // the other tenant sees its own order matched and nothing of ours
    const theirs = await b.post('/api/v1/payment-orders/reconciliations', {
      provider: 'payment-wechat',
      date: today,
      content: sb.statement(today),
    });
    expect(theirs.body).toMatchObject({ lines: 1, matched: 1, items: [] });
  });

  it('a refund that differs from ours is reported', async () => {
    const text = sb.statement(today).replace('`10.00', '`10.01');
    const r = await admin.post('/api/v1/payment-orders/reconciliations', {
      provider: 'payment-wechat',
      date: today,
      content: text,
    });
    expect(r.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'refund',
          mismatch: 'amount_differs',
          orderNo: no.refunded,
          providerFen: 1001,
          localFen: 1000,
        }),
      ]),
    );
  });

  it('refuses bad input, other scopes and missing privileges with exact codes', async () => {
    const scoped = await userWith(p, admin, 'recon-scoped', ['payments.read'], [areas['1单元'].id]);
    const nobody = await userWith(p, admin, 'recon-nobody', ['customers.read']);
    const ok = { provider: 'payment-wechat', date: today, content: sb.statement(today) };
    const cases: [Client, unknown, number, string][] = [
      [admin, {}, 400, 'REQ_VALIDATION'],
      [admin, { ...ok, date: '2026-13-01' }, 400, 'REQ_VALIDATION'],
      [admin, { ...ok, date: 20261201 }, 400, 'REQ_VALIDATION'],
      [admin, { ...ok, content: '' }, 400, 'REQ_VALIDATION'],
      [admin, { ...ok, content: 'a\u0000b' }, 400, 'REQ_VALIDATION'],
      [admin, { ...ok, content: 'x'.repeat(900_001) }, 400, 'REQ_VALIDATION'],
      [admin, { ...ok, extra: 1 }, 400, 'REQ_VALIDATION'],
      [admin, { ...ok, content: 'not,a,bill\n' }, 400, 'FILE_UNREADABLE'],
      [admin, { ...ok, provider: 'payment-cash' }, 422, 'PAY_PROVIDER_UNKNOWN'],
      [scoped, ok, 403, 'AUTH_SCOPE_TENANT_WIDE'],
      [nobody, ok, 403, 'AUTH_FORBIDDEN'],
    ];
    for (const [c, body, status, code] of cases) {
      const r = await c.post('/api/v1/payment-orders/reconciliations', body);
      expect(r.status, JSON.stringify(body).slice(0, 80)).toBe(status);
      expect(r.body.error.code, JSON.stringify(body).slice(0, 80)).toBe(code);
    }
  });
});
