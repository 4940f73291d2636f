import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../../../test/client.ts';
import { refreshAllTenants } from '../../services/analysis/stats/job.ts';
import { refreshArrears } from '../../services/analysis/stats/refresh.ts';
import { demoAreas, inDemo, userWith } from './archive-fixtures.ts';
import { AS_OF, type StatsWorld, statsRows, statsWorld } from './stats-fixtures.ts';

let w: StatsWorld;
let scopedA: Client;
let noReports: Client;
let names: Record<string, string>;
beforeAll(async () => {
  w = await statsWorld();
  scopedA = await userWith(w.p, w.admin, 'stats-a', ['reports.read'], [w.areaA]);
  noReports = await userWith(w.p, w.admin, 'stats-none', ['meters.read']);
  const areas = await demoAreas(w.admin);
  names = Object.fromEntries(Object.values(areas).map((a) => [a.id, a.name]));
}, 60_000);
afterAll(async () => w?.p.stop());

const october = (areaId?: string) =>
  `/api/v1/stats/consumption?grain=month&from=2025-10-01&to=2025-10-31&groupBy=area${areaId ? `&areaId=${areaId}` : ''}`;

describe('stats answer from the rollups', () => {
  it('consumption per area with the month before and the year before', async () => {
    const r = await w.admin.get(october(w.root));
    expect(r.status).toBe(200);
    const byLabel = Object.fromEntries(r.body.series.map((s: { label: string }) => [s.label, s]));
    const parkA = names[(await demoAreas(w.admin))['1号楼'].path[1]];
    const parkB = names[(await demoAreas(w.admin))['3号楼'].path[1]];
    expect(byLabel[parkA].meterKind).toBe('meter-power');
    expect(byLabel[parkA].points).toEqual([
      { bucket: '2025-10-01', usage: 130, previous: 40, lastYear: 80, mom: 2.25, yoy: 0.625 },
    ]);
    expect(byLabel[parkB].points).toEqual([
      { bucket: '2025-10-01', usage: 7, previous: null, lastYear: null, mom: null, yoy: null },
    ]);
    const types = await w.admin.get(
      '/api/v1/stats/consumption?grain=year&from=2025-01-01&to=2025-12-31&groupBy=customerType',
    );
    expect(types.body.series.map((s: { key: string; total: number }) => [s.key, s.total]).sort()).toEqual([
      ['', 37],
      ['business', 140],
    ]);
  });

  it('the dashboard: today’s reading success, open exceptions, arrears, prepaid cuts pending', async () => {
    const r = await w.admin.get('/api/v1/stats/overview');
    expect(r.status).toBe(200);
    expect(r.body.reading).toEqual({ attempted: 4, succeeded: 4, rate: 1 });
    expect(r.body.exceptions).toEqual({ open: 2 });
    expect(r.body.arrears).toEqual({ accounts: 2, totalFen: 7700 });
    expect(r.body.prepaid).toEqual({ cutPending: 1, cut: 0 });
    expect(r.body.consumption.map((s: { meterKind: string }) => s.meterKind)).toEqual(['meter-power']);
    expect(r.body.consumption[0].points).toHaveLength(30);
  });

  it('the refresh job rebuilds the recent days of every tenant', async () => {
    await inDemo(w.p, (tx) => tx.execute(sql`delete from stats_reading_daily`));
    expect((await w.admin.get('/api/v1/stats/overview')).body.reading.attempted).toBe(0);
    const platform = w.p.running.platform;
    expect(
      await refreshAllTenants(platform.db, platform.config.QUADMETER_TIMEZONE, 2),
    ).toBeGreaterThanOrEqual(2);
    expect((await w.admin.get('/api/v1/stats/overview')).body.reading).toEqual({
      attempted: 4,
      succeeded: 4,
      rate: 1,
    });
    // the job ages arrears as of today; the tests below age them as of AS_OF
    await inDemo(w.p, (tx) => refreshArrears(tx, AS_OF));
  });

  it('reading success per line and the online rate', async () => {
    const day = (await w.admin.get('/api/v1/stats/overview')).body.day;
    const r = await w.admin.get(`/api/v1/stats/reading?from=${day}&to=${day}&groupBy=line`);
    expect(r.status).toBe(200);
    expect(
      r.body.items.map((i: { attempted: number; succeeded: number }) => [i.attempted, i.succeeded]),
    ).toEqual([
      [2, 2],
      [2, 2],
    ]);
    expect(r.body.total).toEqual({ attempted: 4, succeeded: 4, rate: 1 });
    expect(r.body.online).toMatchObject({ meters: 4, online: 4, rate: 1 });
  });

  it('master/sub-meter balance and loss rate, arrears ageing', async () => {
    const b = await w.admin.get('/api/v1/stats/balance?month=2025-10');
    expect(b.status).toBe(200);
    expect(b.body.meters).toEqual([
      expect.objectContaining({
        meterId: w.metersA[0],
        master: 100,
        sub: 30,
        loss: 70,
        lossRate: 0.7,
        subMeters: 1,
      }),
    ]);
    expect(b.body.trend).toHaveLength(12);
    expect(b.body.trend.at(-1)).toMatchObject({ month: '2025-10-01', master: 100, sub: 30, lossRate: 0.7 });
    expect(b.body.trend.at(-2)).toMatchObject({ month: '2025-09-01', master: 40, sub: 0, lossRate: 1 });
    const bill = await w.admin.get('/api/v1/stats/billing?month=2026-11');
    expect(bill.body.arrears).toEqual({
      accounts: 2,
      totalFen: 7700,
      ageing: { d0_30: 2700, d31_90: 5000, d91_180: 0, d181: 0 },
      asOf: '2026-11-15',
    });
    expect(bill.body.prepaid).toMatchObject({ cut_pending: 1, normal: 0 });
    expect(bill.body.collection).toEqual({ bills: 0, billedFen: 0, collectedFen: 0, rate: null });
  });
});

describe('stats within a user’s areas, across tenants, by permission', () => {
  it('a user scoped to 1号楼 sees only its numbers and cannot name 3号楼', async () => {
    const mine = await scopedA.get('/api/v1/stats/consumption?grain=month&from=2025-10-01&to=2025-10-31');
    expect(mine.body.series.map((s: { total: number }) => s.total)).toEqual([130]);
    const other = await scopedA.get(october(w.areaB));
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe('AREA_OUT_OF_SCOPE');
    for (const path of [
      'reading?from=2025-01-01&to=2025-01-02',
      'balance?month=2025-10',
      'billing?month=2025-10',
    ])
      expect((await scopedA.get(`/api/v1/stats/${path}&areaId=${w.areaB}`)).body.error.code).toBe(
        'AREA_OUT_OF_SCOPE',
      );
    const o = (await scopedA.get('/api/v1/stats/overview')).body;
    expect(o.reading).toEqual({ attempted: 2, succeeded: 2, rate: 1 });
    expect(o.arrears).toEqual({ accounts: 1, totalFen: 7000 });
    expect(o.exceptions).toEqual({ open: 1 });
    expect((await scopedA.get('/api/v1/stats/billing?month=2026-11')).body.arrears.ageing).toEqual({
      d0_30: 2000,
      d31_90: 5000,
      d91_180: 0,
      d181: 0,
    });
  });

  it('another tenant gets 404 for this tenant’s areas and none of its numbers', async () => {
    const r = await w.other.get(october(w.root));
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('AREA_OUT_OF_SCOPE');
    const o = (await w.other.get('/api/v1/stats/overview')).body;
    expect(o.reading).toEqual({ attempted: 0, succeeded: 0, rate: null });
    expect(o.arrears).toEqual({ accounts: 0, totalFen: 0 });
    expect(o.prepaid).toEqual({ cutPending: 0, cut: 0 });
    expect(o.exceptions).toEqual({ open: 0 });
    expect(o.consumption).toEqual([]);
    const c = await w.other.get('/api/v1/stats/consumption?grain=year&from=2024-01-01&to=2025-12-31');
    expect(c.body.series).toEqual([]);
  });

  it('a user without reports.read gets 403 on every stats route', async () => {
    for (const path of [
      'overview',
      'consumption?from=2025-10-01&to=2025-10-31',
      'reading?from=2025-10-01&to=2025-10-31',
      'balance?month=2025-10',
      'billing?month=2025-10',
    ]) {
      const r = await noReports.get(`/api/v1/stats/${path}`);
      expect(r.status, path).toBe(403);
      expect(r.body.error.code).toBe('AUTH_FORBIDDEN');
    }
  });
});

describe('stats refuse bad periods with stable codes and write nothing', () => {
  it('answers 400 with REQ_VALIDATION, STATS_RANGE_INVALID or STATS_RANGE_TOO_LARGE', async () => {
    const before = await statsRows(w);
    const cases: [string, string][] = [
      ['consumption?from=2025-02-30&to=2025-03-01', 'STATS_RANGE_INVALID'],
      ['consumption?from=2025-10-02&to=2025-10-01', 'STATS_RANGE_INVALID'],
      ['consumption?grain=day&from=2020-01-01&to=2025-01-01', 'STATS_RANGE_TOO_LARGE'],
      ['consumption?grain=month&from=1970-01-01&to=2025-01-01', 'STATS_RANGE_TOO_LARGE'],
      ['consumption?grain=week&from=2025-01-01&to=2025-01-02', 'REQ_VALIDATION'],
      ['consumption?from=2025-01-01%00&to=2025-01-02', 'REQ_VALIDATION'],
      [`consumption?from=${'9'.repeat(5000)}&to=2025-01-02`, 'REQ_VALIDATION'],
      ['consumption?from=2025-01-01&to=2025-01-02&kind=a%00b', 'REQ_VALIDATION'],
      [`consumption?from=2025-01-01&to=2025-01-02&kind=${'k'.repeat(500)}`, 'REQ_VALIDATION'],
      ['consumption?from=2025-01-01&to=2025-01-02&areaId=not-a-uuid', 'REQ_VALIDATION'],
      ['consumption', 'REQ_VALIDATION'],
      ['reading?from=2025-01-01&to=2025-01-02&onlineHours=1e12', 'REQ_VALIDATION'],
      ['reading?from=2025-01-01&to=2025-01-02&onlineHours=abc', 'REQ_VALIDATION'],
      ['reading?from=2024-01-01&to=2025-06-01', 'STATS_RANGE_TOO_LARGE'],
      ['reading?from=2025-01-01&to=2025-01-02&groupBy=meter', 'REQ_VALIDATION'],
      ['balance?month=2025-13', 'STATS_RANGE_INVALID'],
      ['balance?month=2025-1', 'REQ_VALIDATION'],
      ['billing?month=', 'REQ_VALIDATION'],
      ['billing', 'REQ_VALIDATION'],
    ];
    for (const [path, code] of cases) {
      const r = await w.admin.get(`/api/v1/stats/${path}`);
      expect(r.status, path).toBe(400);
      expect(r.body.error.code, path).toBe(code);
    }
    expect(await statsRows(w)).toEqual(before);
  });
});
