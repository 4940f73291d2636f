import { buildOneNetUrlCheck } from '@quadmeter/protocols/push/index.ts';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CJT188_TYPES, Cjt188Meter } from '../../../../simulators/src/meters/cjt188-meter.ts';
import { reportBytes } from '../../../../simulators/src/pushers/device-report.ts';
import { NbiotPusher } from '../../../../simulators/src/pushers/nbiot-pusher.ts';
import { ManualClock } from '../../../../simulators/src/time/clock.ts';
import type { Client } from '../../../test/client.ts';
import { withTenant } from '../../db/tenant.ts';
import { type ArchiveWorld, archiveWorld, makeUser, meterBody } from './meters-fixtures.ts';

const TOKEN = 'ctwing-demo-token-01';
const OTHER_TOKEN = 'ctwing-other-token-2';
const ONENET = 'onenet-demo-token';

let w: ArchiveWorld;
let b1: string;
let b3: string;
const clock = new ManualClock(Date.parse('2026-11-25T00:00:00Z'));
let seq = 0;

beforeAll(async () => {
  w = await archiveWorld();
  b1 = w.area['1号楼'].id;
  b3 = w.area['3号楼'].id;
  const on = (c: Client, token: string, onenet: string) =>
    c.put('/api/v1/plugins/transport-nbiot/tenant', {
      enabled: true,
      settings: { ctwingToken: token, onenetToken: onenet },
    });
  expect((await on(w.admin, TOKEN, ONENET)).status).toBe(200);
  expect((await on(w.other, OTHER_TOKEN, `${ONENET}-other`)).status).toBe(200);
});
afterAll(async () => w?.p.stop());

/** An NB-IoT water meter device pushing through `platform` to the tenant's hook URL. */
function device(
  imei: string,
  tenantId = w.tenantId,
  platform: 'ctwing' | 'onenet' = 'ctwing',
  token = TOKEN,
) {
  seq++;
  const meter = new Cjt188Meter({
    type: CJT188_TYPES.coldWater,
    address: String(seq).padStart(14, '0'),
    clock,
    initialVolume: 10 + seq,
  });
  const dev = { imei, deviceId: String(200_000 + seq), source: { kind: 'cjt188' as const, meter } };
  const url = `${w.p.baseUrl}/hooks/transport-nbiot/${platform}/${tenantId}?token=${token}`;
  const pusher = new NbiotPusher({ url, platform, token: ONENET, devices: [dev] });
  return { dev, pusher, url };
}

async function post(url: string, body: unknown) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

async function rows(tenantId = w.tenantId) {
  return withTenant(w.p.running.platform.db, tenantId, async (tx) => ({
    readings: Number(
      ((await tx.execute(sql`select count(*)::int as n from readings`)) as unknown as { n: number }[])[0].n,
    ),
    uplinks: (await tx.execute(
      sql`select id::text, device_id as "deviceId", status, seen, meter_id::text as "meterId" from unmatched_uplinks order by received_at, id`,
    )) as unknown as { id: string; deviceId: string; status: string; seen: number; meterId: string | null }[],
  }));
}

async function nbMeter(c: Client, areaId: string, imei?: string) {
  const made = await c.post(
    '/api/v1/meters',
    meterBody(areaId, imei ? { route: { via: 'nbiot', platform: 'ctwing', deviceId: imei } } : {}),
  );
  if (made.status !== 201) throw new Error(JSON.stringify(made.body));
  return made.body.id as string;
}

/** One pending uplink in the demo tenant's inbox, from a device no meter knows. */
async function unmatched(imei: string) {
  const d = device(imei);
  const [r] = await d.pusher.pushOnce();
  expect(r.status).toBe(200);
  const list = await w.admin.get('/api/v1/uplinks?pageSize=200');
  const found = list.body.items.find((u: { deviceId: string }) => u.deviceId === imei);
  if (!found) throw new Error(`no uplink for ${imei}`);
  return found as { id: string; deviceId: string };
}

describe('NB-IoT webhooks through the whole platform', () => {
  it('stores a matched uplink once, however often the platform delivers it', async () => {
    const meterId = await nbMeter(w.admin, b1, '861000000000001');
    const d = device('861000000000001');
    const body = d.pusher.body(d.dev, bytesOf(d));
    const first = await post(d.url, body);
    expect(first).toMatchObject({ status: 200, body: { code: 'OK', stored: 1 } });
    const again = await post(d.url, body);
    expect(again).toMatchObject({ status: 200, body: { code: 'OK', stored: 0, duplicate: 1 } });
    const stored = await withTenant(w.p.running.platform.db, w.tenantId, (tx) =>
      tx.execute(
        sql`select meter_id::text as "meterId", value::text as value from readings where meter_id = ${meterId}`,
      ),
    );
    expect(stored).toEqual([{ meterId, value: expect.stringMatching(/^\d+(\.\d+)?$/) }]);
  });

  it('refuses a forged signature or token (401) and a malformed body (400), storing nothing', async () => {
    const before = await rows();
    const d = device('861000000000002');
    const body = d.pusher.body(d.dev, bytesOf(d));
    for (const url of [
      d.url.replace(TOKEN, 'forged-token-000000'),
      d.url.replace(`?token=${TOKEN}`, ''),
      // the other tenant's URL with this tenant's token
      d.url.replace(w.tenantId, w.otherTenantId),
    ]) {
      expect(await post(url, body)).toMatchObject({ status: 401, body: { code: 'NBIOT_AUTH_FAILED' } });
    }
    const one = device('861000000000003', w.tenantId, 'onenet');
    const signed = one.pusher.body(one.dev, bytesOf(one)) as { msg: { value: string } };
    signed.msg.value = `${signed.msg.value.slice(0, -6)}000016`;
    expect(await post(one.url, signed)).toMatchObject({ status: 401, body: { code: 'NBIOT_AUTH_FAILED' } });
    for (const bad of ['', 'null', '{"messageType":"dataReport"}', '{"a":"\u0000"}']) {
      expect(await post(d.url, bad)).toMatchObject({ status: 400, body: { code: 'NBIOT_PAYLOAD_INVALID' } });
    }
    expect(await rows()).toEqual(before);
  });

  it("answers OneNET's URL verification over HTTP only for the tenant's token", async () => {
    const q = buildOneNetUrlCheck(ONENET, 'check+Msg/1', 'nonce123');
    const url = `${w.p.baseUrl}/hooks/transport-nbiot/onenet/${w.tenantId}?${new URLSearchParams(q)}`;
    const ok = await fetch(url);
    expect([ok.status, await ok.text()]).toEqual([200, 'check+Msg/1']);
    const other = await fetch(url.replace(w.tenantId, w.otherTenantId));
    expect(other.status).toBe(401);
    expect(await other.json()).toMatchObject({ code: 'NBIOT_AUTH_FAILED' });
  });

  it('keeps an uplink of an unknown device in its tenant’s inbox, once per message', async () => {
    const d = device('861000000000010');
    const body = d.pusher.body(d.dev, bytesOf(d));
    expect(await post(d.url, body)).toMatchObject({ status: 200, body: { code: 'OK', unmatched: 1 } });
    expect(await post(d.url, body)).toMatchObject({ status: 200, body: { code: 'OK', unmatched: 1 } });
    const mine = (await rows()).uplinks.filter((u) => u.deviceId === '861000000000010');
    expect(mine).toEqual([expect.objectContaining({ status: 'pending', seen: 2, meterId: null })]);
    const list = await w.admin.get('/api/v1/uplinks');
    expect(list.status).toBe(200);
    expect(list.body.items.find((u: { deviceId: string }) => u.deviceId === '861000000000010')).toMatchObject(
      {
        pluginId: 'transport-nbiot',
        via: 'nbiot',
        platform: 'ctwing',
        reason: 'NO_ROUTE',
        kind: 'realtime',
        registers: { totalVolume: expect.any(String), valve: 'open' },
        raw: expect.stringMatching(/^68/),
        status: 'pending',
        seen: 2,
      },
    );
    // the same IMEI registered in the other tenant does not pull this tenant's push over
    expect((await rows(w.otherTenantId)).uplinks).toEqual([]);
  });
});

/** A report frame of the device's meter. */
function bytesOf(d: ReturnType<typeof device>): Uint8Array {
  return reportBytes(d.dev.source, 1);
}

describe('the unmatched-uplinks inbox', () => {
  it('assigns an uplink to a meter: the route is created and the kept reading stored', async () => {
    const u = await unmatched('861000000000020');
    const meterId = await nbMeter(w.admin, b1);
    const before = (await rows()).readings;
    const r = await w.admin.post(`/api/v1/uplinks/${u.id}/assign`, { meterId });
    expect(r.status).toBe(200);
    expect(r.body.outcome).toMatchObject({ status: 'stored', meterId });
    expect(r.body.assigned).toBe(1);
    expect(r.body.uplink).toMatchObject({
      id: u.id,
      status: 'assigned',
      meterId,
      result: 'stored',
      resolvedBy: 'admin',
    });
    expect((await rows()).readings).toBe(before + 1);
    expect((await w.admin.get(`/api/v1/meters/${meterId}/route`)).body.route).toMatchObject({
      via: 'nbiot',
      line: 'ctwing',
      address: '861000000000020',
    });
    // the device's next uplink resolves to the meter directly
    const d = device('861000000000020');
    clock.advance(3600_000);
    expect(await post(d.url, d.pusher.body(d.dev, bytesOf(d), Date.now() + 60_000))).toMatchObject({
      status: 200,
      body: { stored: 1, unmatched: 0 },
    });
    const again = await w.admin.post(`/api/v1/uplinks/${u.id}/assign`, { meterId });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('UPLINK_RESOLVED');
    expect((await w.admin.post(`/api/v1/uplinks/${u.id}/dismiss`)).body.error.code).toBe('UPLINK_RESOLVED');
  });

  it('assigns every pending uplink of the device with it, oldest first', async () => {
    const d = device('861000000000026');
    const t0 = Date.parse('2026-11-20T00:00:00Z');
    for (const at of [t0, t0 + 3600_000]) {
      clock.advance(3600_000);
      expect(await post(d.url, d.pusher.body(d.dev, bytesOf(d), at))).toMatchObject({
        body: { unmatched: 1 },
      });
    }
    const mine = (await rows()).uplinks.filter((u) => u.deviceId === '861000000000026');
    expect(mine.length).toBe(2);
    const meterId = await nbMeter(w.admin, b1);
    const before = (await rows()).readings;
    const r = await w.admin.post(`/api/v1/uplinks/${mine[1].id}/assign`, { meterId });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ assigned: 2, outcome: { status: 'stored' } });
    expect((await rows()).readings).toBe(before + 2);
    const after = (await rows()).uplinks.filter((u) => u.deviceId === '861000000000026');
    expect(after.map((u) => [u.status, u.meterId])).toEqual([
      ['assigned', meterId],
      ['assigned', meterId],
    ]);
  });

  it('dismisses an uplink: kept, listed under dismissed', async () => {
    const u = await unmatched('861000000000021');
    const r = await w.admin.post(`/api/v1/uplinks/${u.id}/dismiss`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: u.id, status: 'dismissed', meterId: null, resolvedBy: 'admin' });
    const pending = (await w.admin.get('/api/v1/uplinks?pageSize=200')).body.items.map(
      (x: { id: string }) => x.id,
    );
    expect(pending).not.toContain(u.id);
    const dismissed = (await w.admin.get('/api/v1/uplinks?status=dismissed')).body;
    expect(dismissed.items.map((x: { id: string }) => x.id)).toContain(u.id);
    expect(dismissed.total).toBeGreaterThanOrEqual(1);
  });

  it('cross-tenant: another tenant neither sees nor resolves this tenant’s uplinks (404, nothing changed)', async () => {
    const u = await unmatched('861000000000022');
    const theirs = (await w.other.get('/api/v1/uplinks?pageSize=200')).body.items.map(
      (x: { id: string }) => x.id,
    );
    expect(theirs).not.toContain(u.id);
    const otherMeter = await nbMeter(w.other, w.otherAreaId);
    const assign = await w.other.post(`/api/v1/uplinks/${u.id}/assign`, { meterId: otherMeter });
    expect(assign.status).toBe(404);
    expect(assign.body.error.code).toBe('RESOURCE_NOT_FOUND');
    const dismiss = await w.other.post(`/api/v1/uplinks/${u.id}/dismiss`);
    expect(dismiss.status).toBe(404);
    // this tenant cannot assign its uplink to the other tenant's meter either
    const mine = await w.admin.post(`/api/v1/uplinks/${u.id}/assign`, { meterId: otherMeter });
    expect(mine.status).toBe(404);
    expect(mine.body.error.code).toBe('RESOURCE_NOT_FOUND');
    expect((await rows()).uplinks.find((x) => x.id === u.id)).toMatchObject({
      status: 'pending',
      meterId: null,
    });
    expect((await w.other.get(`/api/v1/meters/${otherMeter}/route`)).body.route).toBeNull();
  });

  it('area scope: a scoped user assigns only to meters in scope and cannot dismiss', async () => {
    const scoped = await makeUser(w, 'uplink-scoped', ['meters.read', 'meters.write'], [b1]);
    const u = await unmatched('861000000000023');
    const outside = await nbMeter(w.admin, b3);
    const r = await scoped.post(`/api/v1/uplinks/${u.id}/assign`, { meterId: outside });
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('RESOURCE_NOT_FOUND');
    const d = await scoped.post(`/api/v1/uplinks/${u.id}/dismiss`);
    expect(d.status).toBe(403);
    expect(d.body.error.code).toBe('AUTH_SCOPE_TENANT_WIDE');
    expect((await rows()).uplinks.find((x) => x.id === u.id)).toMatchObject({ status: 'pending' });
    expect((await w.admin.get(`/api/v1/meters/${outside}/route`)).body.route).toBeNull();
    const inside = await nbMeter(w.admin, b1);
    const ok = await scoped.post(`/api/v1/uplinks/${u.id}/assign`, { meterId: inside });
    expect(ok.status).toBe(200);
    expect(ok.body.uplink).toMatchObject({ status: 'assigned', meterId: inside });
  });

  it('privileges: meters.read lists; assigning and dismissing need meters.write', async () => {
    const reader = await makeUser(w, 'uplink-reader', ['meters.read'], []);
    const nobody = await makeUser(w, 'uplink-nobody', ['areas.read'], []);
    const u = await unmatched('861000000000024');
    const meterId = await nbMeter(w.admin, b1);
    expect((await reader.get('/api/v1/uplinks')).status).toBe(200);
    const list = await nobody.get('/api/v1/uplinks');
    expect(list.status).toBe(403);
    expect(list.body.error.code).toBe('AUTH_FORBIDDEN');
    for (const r of [
      await reader.post(`/api/v1/uplinks/${u.id}/assign`, { meterId }),
      await reader.post(`/api/v1/uplinks/${u.id}/dismiss`),
      await nobody.post(`/api/v1/uplinks/${u.id}/assign`, { meterId }),
    ]) {
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('AUTH_FORBIDDEN');
    }
    expect((await rows()).uplinks.find((x) => x.id === u.id)).toMatchObject({ status: 'pending' });
  });

  it('bad input answers 400 REQ_VALIDATION and changes nothing', async () => {
    const u = await unmatched('861000000000025');
    const before = await rows();
    for (const body of [
      {},
      { meterId: 'not-a-uuid' },
      { meterId: 42 },
      { meterId: null },
      { meterId: `${'0'.repeat(8)}-0000-4000-8000-00000000000\u0000` },
      { meterId: 'x'.repeat(100_000) },
      { meterId: '00000000-0000-4000-8000-000000000001', extra: true },
      [],
    ]) {
      const r = await w.admin.post(`/api/v1/uplinks/${u.id}/assign`, body);
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('REQ_VALIDATION');
    }
    const noJson = await w.admin.request('POST', `/api/v1/uplinks/${u.id}/assign`, 'nope');
    expect(noJson.status).toBe(400);
    expect(noJson.body.error.code).toBe('REQ_JSON_MALFORMED');
    for (const path of ['/api/v1/uplinks/not-a-uuid/assign', '/api/v1/uplinks/not-a-uuid/dismiss']) {
      const r = await w.admin.post(path, { meterId: '00000000-0000-4000-8000-000000000001' });
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('REQ_VALIDATION');
    }
    for (const q of ['status=bogus', 'pageSize=100000', 'page=0', 'page=abc']) {
      const r = await w.admin.get(`/api/v1/uplinks?${q}`);
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('REQ_VALIDATION');
    }
    const missing = await w.admin.post('/api/v1/uplinks/00000000-0000-4000-8000-000000000001/assign', {
      meterId: '00000000-0000-4000-8000-000000000001',
    });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('RESOURCE_NOT_FOUND');
    expect(await rows()).toEqual(before);
  });
});
