import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, loggedIn } from '../../../test/client.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/platform.ts';
import { withSystem, withTenant } from '../../db/tenant.ts';
import { recordHits } from '../../services/analysis/vee/record.ts';
import { type Area, demoAreas, otherTenant, tenantId, userWith } from './archive-fixtures.ts';

let p: TestPlatform;
let admin: Client;
let b: Client;
let areas: Record<string, Area>;
const a: Record<string, string> = {};
const bIds: Record<string, string> = {};

/** A meter in `areaId` with one finding of `rule`; answers the finding's id. */
async function meterWithFinding(
  tenant: string,
  areaId: string,
  asset: string,
  rule: string,
): Promise<string> {
  return await withTenant(p.running.platform.db, tenant, async (tx) => {
    const [m] =
      (await tx.execute(sql`insert into meters (tenant_id, kind, asset_no, comm_address, protocol, area_id, status)
      values (app_tenant_id(), 'meter-water', ${asset}, ${asset}, 'cjt188', ${areaId}, 'installed') returning id::text as id`)) as unknown as {
        id: string;
      }[];
    await tx.execute(sql`insert into readings (tenant_id, meter_id, kind, ts, value, registers, received_at, idem_key)
      values (app_tenant_id(), ${m?.id}, 1, '2026-11-29T20:00:00Z', 12.5, '{"reverseVolume":"0"}', now(), ${asset})`);
    await recordHits(
      tx,
      tenant,
      m?.id as string,
      areaId,
      [
        {
          rule,
          severity: 'warning',
          evidence: { summary: 'planted', readings: ['2026-11-29T20:00:00.000Z'] },
        },
      ],
      new Date('2026-11-30T00:00:00Z'),
    );
    const [f] = (await tx.execute(
      sql`select id::text as id from anomaly_findings where meter_id = ${m?.id}`,
    )) as unknown as { id: string }[];
    return f?.id as string;
  });
}

const counts = async () => {
  const [r] = await withSystem(p.running.platform.db, (tx) =>
    tx.execute(sql`select (select count(*) from anomaly_findings)::int as findings,
      (select count(*) from anomaly_finding_events)::int as events,
      (select count(*) from anomaly_findings where status in ('assigned', 'resolved', 'dismissed') or note <> '')::int as touched`),
  );
  return r as Record<string, number>;
};

beforeAll(async () => {
  p = await startTestPlatform();
  admin = await loggedIn(p.baseUrl, 'demo', 'admin', p.demo.password);
  areas = await demoAreas(admin);
  const demo = await tenantId(p, 'demo');
  a.finding = await meterWithFinding(demo, areas['1单元'].id, 'VEE-A1', 'night-flow');
  a.other = await meterWithFinding(demo, areas['1单元'].id, 'VEE-A2', 'tamper');
  b = await otherTenant(p);
  const bArea = (await b.post('/api/v1/areas', { parentId: null, name: 'B公司', kind: 'company' })).body.id;
  bIds.finding = await meterWithFinding(await tenantId(p, 'other'), bArea, 'VEE-B1', 'night-flow');
  bIds.user = (await b.get('/api/v1/users')).body.items[0].id;
}, 120_000);
afterAll(async () => p?.stop());

const probes = (id: string, userId: string): [string, string, unknown][] => [
  ['GET', `/api/v1/anomalies/${id}`, undefined],
  ['POST', `/api/v1/anomalies/${id}/assign`, { userId }],
  ['POST', `/api/v1/anomalies/${id}/notes`, { note: 'x' }],
  ['POST', `/api/v1/anomalies/${id}/close`, { outcome: 'dismissed' }],
];

describe('the exception queue', () => {
  it('lists with filters and keyset pages, shows evidence readings, assigns, notes and closes', async () => {
    const page1 = await admin.get('/api/v1/anomalies?limit=1&status=active');
    expect(page1.status).toBe(200);
    expect(page1.body.items).toHaveLength(1);
    const page2 = await admin.get(`/api/v1/anomalies?limit=1&status=active&after=${page1.body.next}`);
    expect(page2.body.items).toHaveLength(1);
    expect(page2.body.next).toBeNull();
    expect(new Set([page1.body.items[0].id, page2.body.items[0].id])).toEqual(new Set([a.finding, a.other]));
    const tamper = await admin.get('/api/v1/anomalies?rule=tamper');
    expect(tamper.body.items.map((f: { id: string }) => f.id)).toEqual([a.other]);
    const d = await admin.get(`/api/v1/anomalies/${a.finding}`);
    expect(d.body.readings).toEqual([
      expect.objectContaining({ value: '12.5', ts: '2026-11-29T20:00:00.000Z' }),
    ]);
    expect(d.body.history.map((h: { action: string }) => h.action)).toEqual(['opened']);
    const me = (await admin.get('/api/v1/auth/me')).body;
    const assigned = await admin.post(`/api/v1/anomalies/${a.finding}/assign`, {
      userId: me.user?.id ?? me.id,
      note: '去看看',
    });
    expect(assigned.status).toBe(200);
    expect(assigned.body.status).toBe('assigned');
    expect((await admin.post(`/api/v1/anomalies/${a.finding}/notes`, { note: '已上门' })).body.note).toBe(
      '已上门',
    );
    const closed = await admin.post(`/api/v1/anomalies/${a.finding}/close`, {
      outcome: 'resolved',
      note: '修好了',
    });
    expect(closed.body).toMatchObject({ status: 'resolved', note: '修好了' });
    expect(closed.body.resolvedAt).not.toBeNull();
    const again = await admin.post(`/api/v1/anomalies/${a.finding}/close`, { outcome: 'dismissed' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ANOMALY_CLOSED');
    const h = (await admin.get(`/api/v1/anomalies/${a.finding}`)).body.history.map(
      (x: { action: string }) => x.action,
    );
    expect(h).toEqual(['opened', 'assigned', 'note', 'resolved']);
    expect((await admin.get('/api/v1/anomalies/rules')).body.map((r: { id: string }) => r.id)).toContain(
      'night-flow',
    );
  });
});

describe('cross-tenant probes', () => {
  it('answers 404 on every finding route for the other tenant’s ids, writing nothing', async () => {
    const before = await counts();
    for (const [method, path, body] of probes(bIds.finding, bIds.user)) {
      const r = await admin.request(method, path, body);
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(r.body.error.code, `${method} ${path}`).toBe('RESOURCE_NOT_FOUND');
    }
    // assigning our finding to the other tenant's user
    const r = await admin.post(`/api/v1/anomalies/${a.other}/assign`, { userId: bIds.user });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('ANOMALY_ASSIGNEE_INVALID');
    expect((await admin.get('/api/v1/anomalies')).body.items.map((f: { id: string }) => f.id)).not.toContain(
      bIds.finding,
    );
    expect(await counts()).toEqual(before);
  });
});

describe('area scope', () => {
  it('a user scoped to another building neither sees nor handles the findings', async () => {
    const outsider = await userWith(
      p,
      admin,
      'vee-b2',
      ['analysis.read', 'analysis.manage'],
      [areas['2号楼'].id],
    );
    const before = await counts();
    const me = (await outsider.get('/api/v1/auth/me')).body;
    for (const [method, path, body] of probes(a.other, me.user?.id ?? me.id)) {
      const r = await outsider.request(method, path, body);
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(r.body.error.code, `${method} ${path}`).toBe('RESOURCE_NOT_FOUND');
    }
    expect((await outsider.get('/api/v1/anomalies')).body.items).toEqual([]);
    // nor can the finding be given to them: it lies outside their areas
    const r = await admin.post(`/api/v1/anomalies/${a.other}/assign`, { userId: me.user?.id ?? me.id });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('ANOMALY_ASSIGNEE_INVALID');
    expect(await counts()).toEqual(before);
  });
});

describe('privileges', () => {
  it('answers 403 AUTH_FORBIDDEN to a user holding less, and no finding goes to a user who cannot read it', async () => {
    const reader = await userWith(p, admin, 'vee-reader', ['analysis.read']);
    const nobody = await userWith(p, admin, 'vee-nobody', ['meters.read']);
    const before = await counts();
    for (const [c, method, path, body] of [
      [nobody, 'GET', '/api/v1/anomalies', undefined],
      [nobody, 'GET', `/api/v1/anomalies/${a.other}`, undefined],
      [nobody, 'GET', '/api/v1/anomalies/rules', undefined],
      ...probes(a.other, a.other)
        .slice(1)
        .map(([m, path, body]) => [reader, m, path, body] as const),
    ] as [Client, string, string, unknown][]) {
      const r = await c.request(method, path, body);
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(r.body.error.code, `${method} ${path}`).toBe('AUTH_FORBIDDEN');
    }
    expect((await reader.get(`/api/v1/anomalies/${a.other}`)).status).toBe(200);
    const nobodyId = (await nobody.get('/api/v1/auth/me')).body;
    const r = await admin.post(`/api/v1/anomalies/${a.other}/assign`, {
      userId: nobodyId.user?.id ?? nobodyId.id,
    });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('ANOMALY_ASSIGNEE_INVALID');
    expect(await counts()).toEqual(before);
  });
});

describe('bad input', () => {
  it('answers REQ_VALIDATION to wrong types, NUL bytes, huge values and empty bodies, writing nothing', async () => {
    const before = await counts();
    const id = a.other;
    const cases: [string, string, unknown][] = [
      ['POST', `/api/v1/anomalies/${id}/assign`, {}],
      ['POST', `/api/v1/anomalies/${id}/assign`, { userId: 42 }],
      ['POST', `/api/v1/anomalies/${id}/assign`, { userId: 'not-a-uuid' }],
      ['POST', `/api/v1/anomalies/${id}/assign`, { userId: id, note: 'x'.repeat(501) }],
      ['POST', `/api/v1/anomalies/${id}/notes`, {}],
      ['POST', `/api/v1/anomalies/${id}/notes`, { note: '' }],
      ['POST', `/api/v1/anomalies/${id}/notes`, { note: 'a\u0000b' }],
      ['POST', `/api/v1/anomalies/${id}/notes`, { note: 'x'.repeat(100_000) }],
      ['POST', `/api/v1/anomalies/${id}/notes`, { note: 'ok', extra: 1 }],
      ['POST', `/api/v1/anomalies/${id}/close`, { outcome: 'fixed' }],
      ['POST', `/api/v1/anomalies/${id}/close`, { outcome: ['resolved'] }],
      ['POST', `/api/v1/anomalies/${id}/close`, { outcome: 'resolved', note: 5 }],
      ['POST', '/api/v1/anomalies/not-a-uuid/close', { outcome: 'resolved' }],
      ['GET', '/api/v1/anomalies?limit=100000', undefined],
      ['GET', '/api/v1/anomalies?status=closed', undefined],
      ['GET', '/api/v1/anomalies?meterId=1', undefined],
      ['GET', `/api/v1/anomalies?rule=${encodeURIComponent('a\u0000')}`, undefined],
      ['GET', `/api/v1/anomalies?rule=${'r'.repeat(200)}`, undefined],
    ];
    for (const [method, path, body] of cases) {
      const r = await admin.request(method, path, body);
      expect(r.status, `${method} ${path} ${JSON.stringify(body)?.slice(0, 60)}`).toBe(400);
      expect(r.body.error.code, path).toBe('REQ_VALIDATION');
    }
    const cursor = await admin.get('/api/v1/anomalies?after=bad$cursor');
    expect(cursor.status).toBe(400);
    expect(await counts()).toEqual(before);
  });
});
