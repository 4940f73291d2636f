import { generateKeyPairSync } from 'node:crypto';
import { startWechatSandbox, type WechatSandbox } from '@quadmeter/payment-wechat/sandbox';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAreas } from '../src/http/tests/archive-fixtures.ts';
import { customerWithAccount } from '../src/http/tests/payment-fixtures.ts';
import { API_V3_KEY, APPID, MCHID, nativeOrder } from '../src/http/tests/payment-order-fixtures.ts';
import { type Client, loggedIn } from '../test/client.ts';
import { createTestDatabase, type TestDatabase } from '../test/db.ts';
import { freePort, type ServerProcess, serverEnv, startServer } from './support/server-process.ts';

// kill -9 of a real server process in a burst of WeChat Pay callbacks (the payment-wechat
// sandbox signs and encrypts them; each delivered three times at once, as providers do): every
// callback answered 200 before the kill has credited its order exactly once; after the restart the
// provider's retries credit the rest, and no order is credited twice (one payment, one ledger
// entry, the balance equal to the sum of the orders).
const ACCOUNTS = 6;
const ORDERS = 36;
const KILL_AFTER = 30;

let t: TestDatabase;
let env: Awaited<ReturnType<typeof serverEnv>>;
let server: ServerProcess | undefined;
let sb: WechatSandbox;
let sql: postgres.Sql;

beforeAll(async () => {
  t = await createTestDatabase();
  await t.database.close();
  sql = postgres(t.url, { max: 1, onnotice: () => {} });
  env = await serverEnv(t.url, await freePort());
  const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const merchantSerial = '5157F09EFDC096DE15EBE81A47057A7232F1B8E1';
  sb = await startWechatSandbox({
    mchid: MCHID,
    appid: APPID,
    apiV3Key: API_V3_KEY,
    merchantPublicKey: merchant.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    merchantSerial,
  });
  env.extra = {
    QUADMETER_PLUGIN_PAYMENT_WECHAT: JSON.stringify({
      endpoint: sb.url,
      mchid: MCHID,
      appid: APPID,
      apiV3Key: API_V3_KEY,
      merchantSerial,
      merchantPrivateKey: merchant.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      platformKeys: { [sb.serial]: sb.publicKeyPem },
    }),
  };
});
afterAll(async () => {
  await server?.stop();
  await sb?.close();
  await sql?.end();
  await env?.cleanup();
  await t?.drop();
});

const deliver = (n: Parameters<WechatSandbox['deliver']>[0]) =>
  sb.deliver(n).catch(() => ({ status: 0, body: '' }));

describe('kill -9 of the server in a burst of payment callbacks', () => {
  it('credits every acknowledged callback exactly once, and the retries the rest, none twice', async () => {
    server = await startServer(env);
    const admin: Client = await loggedIn(server.url, 'demo', 'admin', env.demoPassword);
    expect((await admin.put('/api/v1/plugins/payment-wechat/tenant', { enabled: true })).status).toBe(200);
    const areas = await demoAreas(admin);
    const accounts: string[] = [];
    for (let i = 0; i < ACCOUNTS; i++)
      accounts.push((await customerWithAccount(admin, areas['1单元'].id, `REL${i}`)).accountId);
    const orders: { id: string; orderNo: string; accountId: string; fen: number }[] = [];
    for (let i = 0; i < ORDERS; i++) {
      const accountId = accounts[i % ACCOUNTS];
      const fen = 1000 + i;
      const o = await nativeOrder(admin, accountId, fen);
      orders.push({ id: o.id, orderNo: o.orderNo, accountId, fen });
    }
    // the burst: every order paid, each callback delivered three times concurrently
    const acked = new Set<string>();
    let answered = 0;
    await Promise.all(
      orders.flatMap((o) => {
        const cb = sb.pay(o.orderNo);
        return [0, 1, 2].map(async () => {
          const r = await deliver(cb);
          if (r.status === 200) {
            acked.add(o.orderNo);
            if (++answered === KILL_AFTER) await server!.kill9();
          } else expect(r.status).toBe(0);
        });
      }),
    );
    expect(server.child.signalCode).toBe('SIGKILL');
    const ackedAtKill = new Set(acked);
    expect(ackedAtKill.size).toBeGreaterThan(0);

    server = await startServer(env);
    const credited = async () =>
      await sql<{ orderNo: string; status: string; payments: number; entries: number }[]>`
        select o.order_no as "orderNo", o.status,
          (select count(*)::int from payments p where p.id = o.payment_id) as payments,
          (select count(*)::int from ledger_entries e join payments p on e.business_key = 'pay:' || p.id
            where p.account_id = o.account_id and p.id = o.payment_id) as entries
        from payment_orders o`;
    const atRestart = new Map((await credited()).map((r) => [r.orderNo, r]));
    for (const no of ackedAtKill)
      expect([no, atRestart.get(no)]).toEqual([no, { orderNo: no, status: 'paid', payments: 1, entries: 1 }]);

    // the provider retries every callback (fresh signatures) until it is answered 200
    for (const o of orders) {
      const r = await deliver(sb.notification(o.orderNo));
      expect([o.orderNo, r.status]).toEqual([o.orderNo, 200]);
    }
    const after = await credited();
    expect(after).toHaveLength(ORDERS);
    expect(after.filter((r) => r.status !== 'paid' || r.payments !== 1 || r.entries !== 1)).toEqual([]);
    const [totals] = await sql<{ payments: number; dupKeys: number }[]>`
      select (select count(*)::int from payments) as payments,
        (select (count(*) - count(distinct business_key))::int from ledger_entries) as "dupKeys"`;
    expect(totals).toEqual({ payments: ORDERS, dupKeys: 0 });
    const balances = await sql<{ account: string; fen: string }[]>`
      select account_id::text as account, balance_fen::text as fen from account_balances`;
    for (const a of accounts) {
      const expected = orders.filter((o) => o.accountId === a).reduce((s, o) => s + o.fen, 0);
      expect([a, balances.find((b) => b.account === a)?.fen]).toEqual([a, String(expected)]);
    }
    console.log(
      `payment burst kill: ${answered} callbacks answered 200 before kill -9 (${ackedAtKill.size} of ${ORDERS} orders), all ${ORDERS} credited once after the retries`,
    );
  }, 240_000);
});
