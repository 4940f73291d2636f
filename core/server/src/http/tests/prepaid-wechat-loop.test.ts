import type { WechatSandbox } from '@quadmeter/payment-wechat/sandbox';
import { type Cjt188Meter, type ElectricityMeter, ManualClock } from '@quadmeter/simulators';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../../test/client.ts';
import type { TestPlatform } from '../../../test/platform.ts';
import { postEntries } from '../../services/billing/ledger/post.ts';
import { type SupplyLine, startSupplyLine } from '../../services/prepaid/supply-line-fixtures.ts';
import { addMeters } from '../../services/readings/ingest-fixtures.ts';
import { demoAreas, inDemo, tenantId } from './archive-fixtures.ts';
import { nativeOrder, platformWithWechat } from './payment-order-fixtures.ts';

// The whole prepaid loop on the platform as it runs: a prepaid account with a DL/T 645 meter
// (relay) and a CJ/T 188 water meter (valve) on a simulated RS-485 line behind a TCP serial
// server is cut for arrears by the prepaid worker through the command outbox (read back on the
// simulators); the customer pays through the WeChat Pay sandbox (a Native order, the signed and
// encrypted callback at /hooks/payment-wechat/notify); the ledger is credited; the worker
// reconnects (read back again); and the receipt is issued from the tenant's own template.
const LINE = 'loop-bus';
const POWER = '210000000081';
const WATER = '11000000000081';

let p: TestPlatform;
let sb: WechatSandbox;
let admin: Client;
let line: SupplyLine;
let power: ElectricityMeter;
let water: Cjt188Meter;
let accountId = '';

async function until<T>(what: string, fn: () => Promise<T>, ok: (v: T) => boolean, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`${what}: still ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
const panel = async () => (await admin.get(`/api/v1/prepaid/accounts/${accountId}`)).body;

beforeAll(async () => {
  line = await startSupplyLine({
    clock: new ManualClock(Date.now()),
    power: { address: POWER, initialEnergy: 300 },
    water: { address: WATER, initialVolume: 12 },
    seed: 5,
  });
  ({ power, water } = line);
  ({ p, sb, admin } = await platformWithWechat({
    QUADMETER_PLUGIN_TRANSPORT_RS485: JSON.stringify({ lines: { [LINE]: line.url } }),
  }));
  const areas = await demoAreas(admin);
  const customer = await admin.post('/api/v1/customers', {
    name: '预付闭环户',
    number: 'LOOP-C1',
    areaId: areas['1单元'].id,
    phone: '13900000081',
  });
  expect(customer.status, JSON.stringify(customer.body)).toBe(201);
  const account = await admin.post('/api/v1/accounts', {
    customerId: customer.body.id,
    number: 'LOOP-A1',
    billingMode: 'prepaid',
    billingModeFrom: '2020-01-01',
  });
  expect(account.status, JSON.stringify(account.body)).toBe(201);
  accountId = account.body.id;
  const tenant = { tenantId: await tenantId(p, 'demo'), areaId: areas['1单元'].id };
  const meters = await addMeters(p.running.platform.db, tenant, [
    { kind: 'meter-power', protocol: 'dlt645-2007', comm: POWER, via: 'serial', line: LINE, digits: 6 },
    { kind: 'meter-water', protocol: 'cjt188', comm: WATER, via: 'serial', line: LINE },
  ]);
  await inDemo(p, (tx) =>
    tx.execute(sql`update meters set account_id = ${accountId},
      control = case when kind = 'meter-power' then 'relay' else 'valve' end
      where id in (${meters[0]}, ${meters[1]})`),
  );
  // whatever the hour the test runs at: no protection window, the cut goes as soon as it is due
  const policy = await admin.put('/api/v1/prepaid/policy', {
    alarm1Fen: 3000,
    alarm2Fen: 1000,
    overdraftLimitFen: 0,
    cutDelayMinutes: 0,
    reconnectThresholdFen: 1000,
    hoardingLimitFen: null,
    nightProtect: false,
    nightStart: '22:00',
    nightEnd: '08:00',
    weekendProtect: false,
    holidayProtect: false,
  });
  expect(policy.status, JSON.stringify(policy.body)).toBe(200);
});
afterAll(async () => {
  await p?.stop();
  await sb?.close();
  await line?.close();
});

describe('the prepaid loop through WeChat Pay', () => {
  it('cut for arrears → paid through the sandbox → credited → reconnected on the simulators → receipt from the tenant’s template', async () => {
    // the tenant's own receipt design
    const design = await admin.post('/api/v1/documents/templates/receipt/a4/versions', {
      source:
        '<html><body><h1>阳光水务 缴费凭证 {{document.number}}</h1><p>{{account.number}} {{payment.methodLabel}}</p>' +
        '<p>¥{{yuan payment.amountFen}} 人民币{{rmb payment.amountFen}}</p></body></html>',
      note: '闭环测试',
      publish: true,
    });
    expect(design.status, JSON.stringify(design.body)).toBe(201);

    // arrears: a 50.00 charge on an empty wallet
    await inDemo(p, (tx) =>
      postEntries(tx, [
        {
          accountId,
          kind: 'charge',
          amountFen: -5000,
          category: 'usage',
          businessKey: 'loop:arrears',
          occurredOn: '2026-12-01',
        },
      ]),
    );
    await until('cut', panel, (b) => b.state === 'cut');
    expect(power.relay.state).toBe('tripped');
    expect(water.valve).toBe('closed');
    const cuts = await inDemo(p, (tx) =>
      tx.execute<{ action: string; status: string }>(sql`select action, status from meter_commands
        where source = 'prepaid' order by action`),
    );
    expect(cuts).toEqual([
      { action: 'relay-trip', status: 'confirmed' },
      { action: 'valve-close', status: 'confirmed' },
    ]);

    // the customer scans the Native order's code and pays 100.00
    const order = await nativeOrder(admin, accountId, 10000);
    const res = await sb.deliver(sb.pay(order.orderNo));
    expect(res.status).toBe(200);
    const paid = (await admin.get(`/api/v1/payment-orders/${order.id}`)).body;
    expect(paid.status).toBe('paid');
    const credit = await inDemo(p, (tx) =>
      tx.execute<{ kind: string; amount_fen: string; payment_id: string }>(sql`
        select kind, amount_fen::text, payment_id::text from ledger_entries
        where account_id = ${accountId} and kind = 'payment'`),
    );
    expect(credit).toHaveLength(1);
    expect(credit[0]).toMatchObject({ kind: 'payment', amount_fen: '10000' });

    // 50.00 left, above the reconnect threshold: supply comes back, read back on both meters
    const back = await until('reconnected', panel, (b) => b.state === 'normal');
    expect(back.balanceFen ?? back.balance).toBeDefined();
    expect(power.relay.state).toBe('closed');
    expect(water.valve).toBe('open');
    const all = await inDemo(p, (tx) =>
      tx.execute<{ action: string; status: string }>(sql`select action, status from meter_commands
        where source = 'prepaid' order by created_at, action`),
    );
    expect(all.map((c) => `${c.action}:${c.status}`).sort()).toEqual([
      'relay-close:confirmed',
      'relay-trip:confirmed',
      'valve-close:confirmed',
      'valve-open:confirmed',
    ]);
    const events = await inDemo(p, (tx) =>
      tx.execute<{ to: string }>(sql`select to_state as "to" from prepaid_events
        where account_id = ${accountId} order by seq`),
    );
    expect(events.map((e) => e.to)).toEqual(['cut_pending', 'cut', 'reconnect_pending', 'normal']);

    // the receipt, from the tenant's template
    const receipt = await admin.post('/api/v1/documents/receipts', { paymentId: credit[0].payment_id });
    expect(receipt.status, JSON.stringify(receipt.body)).toBe(201);
    const print = await admin.get(`/api/v1/documents/${receipt.body.id}/print`);
    expect(print.status).toBe(200);
    expect(print.body.raw).toContain(`阳光水务 缴费凭证 ${receipt.body.number}`);
    expect(print.body.raw).toContain('¥100.00 人民币壹佰元整');
    expect(print.body.raw).toContain('LOOP-A1');
  });
});
