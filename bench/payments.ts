// Verified WeChat Pay callbacks per second through the whole path (HTTP → hook → RSA-SHA256
// verify on the raw body → AES-256-GCM decrypt → tenant lookup → order lock and conditional update
// → payments row, ledger entry, allocation, notice) beside GET /healthz over the same HTTP client
// in the same run, same concurrency; then the same callbacks again (replays, absorbed).
//   npm run bench -- payments [orders] [concurrency] [accounts]
//   npm run bench -- payments --smoke
import { generateKeyPairSync } from 'node:crypto';
import { type SandboxNotification, startWechatSandbox } from '../plugins/payment-wechat/sandbox/server.ts';
import { benchPlatform } from './bench-platform.ts';

const smoke = process.argv.includes('--smoke');
const args = process.argv.slice(2).filter((a) => a !== '--smoke');
const orderCount = Number(args[0] ?? (smoke ? 120 : 1500));
const concurrency = Number(args[1] ?? 8);
const accountCount = Number(args[2] ?? 16);

const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
const sb = await startWechatSandbox({
  mchid: '1900000109',
  appid: 'wxbench0000000001',
  apiV3Key: 'BenchApiV3Key0123456789abcdefABC',
  merchantPublicKey: merchant.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  merchantSerial: 'BENCH0001',
});
const platform = await benchPlatform({
  QUADMETER_SIMULATORS: 'off',
  QUADMETER_PLUGIN_PAYMENT_WECHAT: JSON.stringify({
    endpoint: sb.url,
    mchid: '1900000109',
    appid: 'wxbench0000000001',
    apiV3Key: 'BenchApiV3Key0123456789abcdefABC',
    merchantSerial: 'BENCH0001',
    merchantPrivateKey: merchant.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    platformKeys: { [sb.serial]: sb.publicKeyPem },
  }),
});
const running = platform.running;

/** `fn` over `items` by `concurrency` workers; answers items per second. */
async function rate<T>(items: readonly T[], fn: (item: T) => Promise<void>): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
  return items.length / ((performance.now() - t0) / 1000);
}

try {
  const { cookie, csrfToken } = await platform.login();
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(running.url + path, {
      method,
      headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json();
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json as Record<string, unknown>;
  };
  await api('PUT', '/api/v1/plugins/payment-wechat/tenant', { enabled: true });
  const areas = (await api('GET', '/api/v1/areas')).items as { id: string }[];
  const accounts: string[] = [];
  for (let i = 0; i < accountCount; i++) {
    const c = await api('POST', '/api/v1/customers', {
      name: `压测户${i}`,
      number: `BP-${i}`,
      areaId: areas[areas.length - 1].id,
    });
    accounts.push(
      (await api('POST', '/api/v1/accounts', { customerId: c.id, number: `BPA-${i}` })).id as string,
    );
  }
  const orders = Array.from({ length: orderCount }, (_, i) => accounts[i % accounts.length]);
  const made: string[] = [];
  const createRate = await rate(orders, async (accountId) => {
    const o = await api('POST', '/api/v1/payment-orders', {
      accountId,
      provider: 'payment-wechat',
      channel: 'native',
      amountFen: 100,
    });
    made.push(o.orderNo as string);
  });
  const callbacks: SandboxNotification[] = made.map((no) => sb.pay(no));
  const deliver = async (n: SandboxNotification) => {
    const r = await sb.deliver(n);
    if (r.status !== 200) throw new Error(`callback: ${r.status} ${r.body}`);
  };
  const health = async () => {
    const res = await fetch(`${running.url}/healthz`);
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`healthz: ${res.status}`);
  };
  const checks = Array.from({ length: orderCount }, () => undefined);
  await rate(checks.slice(0, 50), health); // warm up
  const healthBefore = await rate(checks, health);
  const creditRate = await rate(callbacks, deliver);
  const replayRate = await rate(callbacks, deliver);
  const healthAfter = await rate(checks, health);
  const healthRate = (healthBefore + healthAfter) / 2;
  const credited = (await api('GET', `/api/v1/payment-orders?status=paid&limit=1`)).items as unknown[];
  if (credited.length !== 1)
    throw new Error(
      `no order was credited: ${JSON.stringify(await api('GET', '/api/v1/payment-orders?limit=2'))}`,
    );
  console.log(
    `${concurrency} concurrent clients, ${orderCount} orders over ${accountCount} accounts, ${process.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded PostgreSQL'}`,
  );
  console.log(`order create (provider round trip) ${createRate.toFixed(0).padStart(7)} req/s`);
  console.log(`callback → verified, credited      ${creditRate.toFixed(0).padStart(7)} req/s`);
  console.log(`callback replayed → absorbed       ${replayRate.toFixed(0).padStart(7)} req/s`);
  console.log(`GET /healthz                       ${healthRate.toFixed(0).padStart(7)} req/s`);
  console.log(`ratio credited ÷ healthz           ${(creditRate / healthRate).toFixed(3).padStart(7)}`);
  console.log(`ratio replayed ÷ healthz           ${(replayRate / healthRate).toFixed(3).padStart(7)}`);
} finally {
  await platform.stop();
  await sb.close();
}
