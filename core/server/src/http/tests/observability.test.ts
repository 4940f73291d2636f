import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CJT188_TYPES, Cjt188Meter } from '../../../../simulators/src/meters/cjt188-meter.ts';
import { reportBytes } from '../../../../simulators/src/pushers/device-report.ts';
import { NbiotPusher } from '../../../../simulators/src/pushers/nbiot-pusher.ts';
import { ManualClock } from '../../../../simulators/src/time/clock.ts';
import { Client } from '../../../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/platform.ts';
import { withTenant } from '../../db/tenant.ts';
import { createLogger } from '../../logger.ts';
import { meterBody } from './meters-fixtures.ts';

const TOKEN = 'metrics-token-0123456789';
const NB_TOKEN = 'ctwing-metrics-token-1';
let p: TestPlatform;
let admin: Client;
let tenantId: string;
let areaId: string;

const logLines: string[] = [];
const logStream = new Writable({
  write(chunk, _enc, done) {
    logLines.push(...String(chunk).split('\n').filter(Boolean));
    done();
  },
});

beforeAll(async () => {
  p = await startTestPlatform(
    { QUADMETER_METRICS_TOKEN: TOKEN },
    { logger: createLogger('debug', logStream) },
  );
  admin = new Client(p.baseUrl);
  tenantId = (await admin.login('demo', 'admin', p.demo.password)).tenant.id;
  areaId = (await admin.get('/api/v1/areas')).body.items[0].id;
  const on = await admin.put('/api/v1/plugins/transport-nbiot/tenant', {
    enabled: true,
    settings: { ctwingToken: NB_TOKEN, onenetToken: 'onenet-metrics-token' },
  });
  expect(on.status).toBe(200);
});
afterAll(async () => p?.stop());

async function scrape(auth = `Bearer ${TOKEN}`) {
  const res = await fetch(`${p.baseUrl}/metrics`, { headers: auth ? { authorization: auth } : {} });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

/** The value of one series in the exposition text (0 when absent). */
function value(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe('/metrics', () => {
  it('answers only the configured bearer token, with a stable code otherwise', async () => {
    for (const auth of ['', `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, TOKEN, `Basic ${TOKEN}`]) {
      const r = await scrape(auth);
      expect(r.status, auth).toBe(401);
      expect(JSON.parse(r.text).error.code, auth).toBe('METRICS_TOKEN_INVALID');
    }
    const ok = await scrape();
    expect(ok.status).toBe(200);
    expect(ok.type).toContain('text/plain');
  });

  it('does not exist when no token is configured', async () => {
    const config = p.running.platform.config;
    config.QUADMETER_METRICS_TOKEN = undefined;
    try {
      const r = await scrape();
      expect(r.status).toBe(404);
      expect(JSON.parse(r.text).error.code).toBe('METRICS_DISABLED');
    } finally {
      config.QUADMETER_METRICS_TOKEN = TOKEN;
    }
  });

  it('counts requests by route pattern and status, never by raw path or id', async () => {
    const series = (status: number) =>
      `quadmeter_http_requests_total{method="GET",route="/api/v1/meters/:id",status="${status}"}`;
    const before = await scrape();
    const missing = '00000000-0000-4000-8000-000000000001';
    for (let i = 0; i < 3; i++) expect((await admin.get(`/api/v1/meters/${missing}`)).status).toBe(404);
    const after = await scrape();
    expect(value(after.text, series(404)) - value(before.text, series(404))).toBe(3);
    expect(after.text).not.toContain(missing);
    expect(after.text).not.toContain(tenantId);
  });

  it('counts ingested readings by transport and outcome, and concentrators online', async () => {
    const imei = '861000000000777';
    const made = await admin.post(
      '/api/v1/meters',
      meterBody(areaId, { route: { via: 'nbiot', platform: 'ctwing', deviceId: imei } }),
    );
    expect(made.status).toBe(201);
    const meter = new Cjt188Meter({
      type: CJT188_TYPES.coldWater,
      address: '00000000000777',
      clock: new ManualClock(Date.parse('2026-11-25T00:00:00Z')),
      initialVolume: 12,
    });
    const dev = { imei, deviceId: '200777', source: { kind: 'cjt188' as const, meter } };
    const url = `${p.baseUrl}/hooks/transport-nbiot/ctwing/${tenantId}?token=${NB_TOKEN}`;
    const pusher = new NbiotPusher({
      url,
      platform: 'ctwing',
      token: 'onenet-metrics-token',
      devices: [dev],
    });
    const body = JSON.stringify(pusher.body(dev, reportBytes(dev.source, 1)));
    const stored = 'quadmeter_ingest_readings_total{transport="transport-nbiot",outcome="stored"}';
    const duplicate = 'quadmeter_ingest_readings_total{transport="transport-nbiot",outcome="duplicate"}';
    const before = await scrape();
    for (let i = 0; i < 2; i++) {
      const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(r.status).toBe(200);
    }
    const after = await scrape();
    expect(value(after.text, stored) - value(before.text, stored)).toBe(1);
    expect(value(after.text, duplicate) - value(before.text, duplicate)).toBe(1);

    const con = await admin.post('/api/v1/concentrators', {
      number: 'JZQ-M1',
      name: '指标集中器',
      a1: '3599',
      a2: 1,
      areaId,
    });
    expect(con.status).toBe(201);
    expect(value(after.text, 'quadmeter_concentrators_online')).toBe(0);
    await withTenant(p.running.platform.db, tenantId, (tx) =>
      tx.execute(sql`update concentrators set online = true where id = ${con.body.id}`),
    );
    expect(value((await scrape()).text, 'quadmeter_concentrators_online')).toBe(1);
  });

  it('times jobs by queue and shows queue depth', async () => {
    const jobs = p.running.platform.jobs;
    let ran = 0;
    await jobs.work('metrics-probe', async () => {
      ran++;
    });
    await jobs.send('metrics-probe', tenantId, { n: 1 });
    const deadline = Date.now() + 15_000;
    while (ran === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(ran).toBe(1);
    const text = (await scrape()).text;
    expect(
      value(text, 'quadmeter_job_duration_seconds_count{queue="metrics-probe",outcome="completed"}'),
    ).toBe(1);
    expect(value(text, 'quadmeter_job_wait_seconds_count{queue="metrics-probe"}')).toBe(1);
    expect(text).toMatch(/quadmeter_queue_depth\{queue="metrics-probe",state="ready"\} 0/);
    await jobs.offWork('metrics-probe');
  });

  it('counts refused payment callbacks by provider and refusal code', async () => {
    const before = await scrape();
    const r = await fetch(`${p.baseUrl}/hooks/payment-wechat/notify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"id":"forged"}',
    });
    const { error } = (await r.json()) as { error: { code: string } };
    // the plugin is installed but has no merchant configured: refused before any parsing
    expect([r.status, error.code]).toEqual([503, 'PAY_NOT_CONFIGURED']);
    const series =
      'quadmeter_payment_callbacks_total{provider="payment-wechat",outcome="PAY_NOT_CONFIGURED"}';
    expect(value((await scrape()).text, series) - value(before.text, series)).toBe(1);
  });
});

describe('request logs', () => {
  it('name the request id, and once authenticated the tenant and the actor', async () => {
    const requestId = 'probe-request-0001';
    const res = await fetch(`${p.baseUrl}/api/v1/areas`, {
      headers: { cookie: admin.cookie, 'x-request-id': requestId },
    });
    expect(res.status).toBe(200);
    const line = logLines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.requestId === requestId && l.msg === 'request');
    expect(line).toMatchObject({ requestId, tenantId, path: '/api/v1/areas', status: 200 });
    expect(line?.actorId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
