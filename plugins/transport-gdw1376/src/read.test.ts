import { DECIMAL_PATTERN, type ReadResult, rawReadingSchema } from '@quadmeter/sdk';
import { TEST_TENANT_ID } from '@quadmeter/sdk/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { previousPeriod } from './read.ts';
import {
  A1,
  collect,
  meters,
  request,
  type Started,
  simAddress,
  simClock,
  startMaster,
  startSim,
  waitUntil,
} from './test-support.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function setup(a2: number, sim: Parameters<typeof startSim>[2] = {}, config = {}) {
  const m: Started = await startMaster(config);
  cleanups.push(() => m.stop());
  const s = startSim(m.port, a2, sim);
  cleanups.push(() => s.stop());
  await waitUntil(() => s.state === 'logged-in');
  return { m, s };
}

const ok = (r: ReadResult) => {
  if (!r.ok) throw new Error(`${r.meterId}: ${r.error.code} ${r.error.message}`);
  return r.reading;
};

describe('reads through the concentrator (simulator on real TCP)', () => {
  it('real-time AFN 0C F129: decimal strings, null for EE, route, tenant and a stable key', async () => {
    const { m } = await setup(21, { missing: [2] });
    const results = await collect(m.ctx, request(21, [1, 2, 3]));
    expect(results.map((r) => r.meterId)).toEqual(['m1', 'm2', 'm3']);
    for (const r of results) expect(rawReadingSchema.safeParse(ok(r)).success).toBe(true);
    const one = ok(results[0]);
    expect(one.route).toEqual({ via: 'concentrator', gateway: { a1: A1, a2: 21 }, point: 1 });
    expect(one.kind).toBe('realtime');
    expect(one.tenantId).toBe(TEST_TENANT_ID);
    expect(one.registers.activeImportTotal).toMatch(DECIMAL_PATTERN);
    expect(Number(one.registers.activeImportTotal)).toBeGreaterThan(2000);
    expect(one.registers.activeImportT4).toMatch(DECIMAL_PATTERN);
    // the simulator's clock: 2026-06-14 10:00 UTC+8
    expect(one.measuredAt).toBe('2026-06-14T02:00:00.000Z');
    expect(one.idempotencyKey).toBe(`gdw1376:${A1}-21:p1:realtime:2026-06-14T02:00:00.000Z`);
    const missed = ok(results[1]);
    expect(missed.registers.activeImportTotal).toBeNull();
    expect(Object.values(missed.registers).every((v) => v === null)).toBe(true);
    const again = await collect(m.ctx, request(21, [1]));
    expect(ok(again[0]).idempotencyKey).toBe(one.idempotencyKey);
  });

  it('daily frozen AFN 0D F161 for a date and monthly frozen F177 for a month', async () => {
    const clock = simClock();
    const { m } = await setup(22, { clock });
    clock.advance(20 * 86_400_000); // past 2026-06-15 00:00 and the settlement of 2026-07-01
    // the platform's 2026-06-15 is the freeze at its start, which the terminal labels Td_d 2026-06-14
    const daily = await collect(m.ctx, request(22, [1, 2], { kind: 'daily', frozenFor: '2026-06-15' }));
    const d = ok(daily[0]);
    expect(d).toMatchObject({ kind: 'daily', frozenFor: '2026-06-15' });
    expect(d.measuredAt).toBe('2026-06-14T16:00:00.000Z'); // the freeze at 2026-06-15 00:00 UTC+8
    expect(d.idempotencyKey).toBe(`gdw1376:${A1}-22:p1:daily:2026-06-15`);
    expect(d.registers.activeImportTotal).toMatch(DECIMAL_PATTERN);
    expect(rawReadingSchema.safeParse(d).success).toBe(true);
    // 2026-07 is the settlement at 2026-07-01 00:00, which closes the terminal's Td_m 2026-06
    const monthly = await collect(m.ctx, request(22, [1], { kind: 'monthly', frozenFor: '2026-07' }));
    const mo = ok(monthly[0]);
    expect(mo).toMatchObject({ kind: 'monthly', frozenFor: '2026-07' });
    expect(mo.measuredAt).toBe('2026-06-30T16:00:00.000Z');
    expect(mo.idempotencyKey).toBe(`gdw1376:${A1}-22:p1:monthly:2026-07`);
    expect(Number(mo.registers.activeImportTotal)).toBeGreaterThan(Number(d.registers.activeImportTotal));
    expect(rawReadingSchema.safeParse(mo).success).toBe(true);
    const none = await collect(m.ctx, request(22, [1], { kind: 'daily', frozenFor: '2025-01-01' }));
    expect(ok(none[0]).registers.activeImportTotal).toBeNull();
  });

  it('reassembles multi-frame replies and chunks the points, one result per meter', async () => {
    const { m } = await setup(23, { meters: 40, maxUserData: 120 }, { pointsPerRequest: 16 });
    const pns = Array.from({ length: 40 }, (_, i) => i + 1);
    const results = await collect(m.ctx, request(23, pns));
    expect(results.map((r) => r.meterId)).toEqual(pns.map((p) => `m${p}`));
    expect(results.every((r) => r.ok && r.reading.registers.activeImportTotal !== null)).toBe(true);
  });

  it('concurrent reads on one link are queued, each gets its own reply', async () => {
    const { m } = await setup(28, { meters: 6 });
    const [a, b, c] = await Promise.all([
      collect(m.ctx, request(28, [1, 2])),
      collect(m.ctx, request(28, [3, 4])),
      collect(m.ctx, request(28, [5, 6], { kind: 'daily', frozenFor: '2026-06-13' })),
    ]);
    expect(a.map((r) => r.ok && r.reading.route)).toEqual(
      [1, 2].map((point) => ({ via: 'concentrator', gateway: { a1: A1, a2: 28 }, point })),
    );
    expect(b.map((r) => r.ok && r.reading.route)).toEqual(
      [3, 4].map((point) => ({ via: 'concentrator', gateway: { a1: A1, a2: 28 }, point })),
    );
    expect(c.every((r) => r.ok && r.reading.kind === 'daily')).toBe(true);
  });

  it('reads registers the terminal does not keep through AFN 10 F1 forwarding', async () => {
    const { m } = await setup(24);
    const req = request(24, [1], {
      meters: meters(24, [1], ['activeImportTotal', 'voltageA', 'activeExportTotal']),
    });
    const [r] = await collect(m.ctx, req);
    const reading = ok(r);
    expect(reading.registers.voltageA).toMatch(DECIMAL_PATTERN);
    expect(Number(reading.registers.voltageA)).toBeGreaterThan(150);
    expect(reading.registers.activeExportTotal).toMatch(DECIMAL_PATTERN);
    expect(simAddress(24, 1)).toBe('350100240001');
  });

  it('fails fast with GATEWAY_OFFLINE (retryable) for a concentrator that is not connected', async () => {
    const m = await startMaster();
    cleanups.push(() => m.stop());
    const t0 = Date.now();
    const results = await collect(m.ctx, request(25, [1, 2]));
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(results).toHaveLength(2);
    for (const r of results)
      expect(r).toMatchObject({ ok: false, error: { code: 'GATEWAY_OFFLINE', retryable: true } });
  });

  it('a read on behalf of another tenant does not reach the concentrator', async () => {
    const { m } = await setup(26);
    const results = await collect(
      m.ctx,
      request(26, [1], { tenantId: '00000000-0000-4000-8000-000000000002' }),
    );
    expect(results[0]).toMatchObject({ ok: false, error: { code: 'GATEWAY_OFFLINE' } });
  });

  it('points the terminal does not have fail with METER_NO_DATA; bad requests with stable codes', async () => {
    const { m } = await setup(27, { meters: 2 });
    const results = await collect(m.ctx, request(27, [1, 50]));
    expect(results[0].ok).toBe(true);
    expect(results[1]).toMatchObject({ ok: false, error: { code: 'METER_NO_DATA', retryable: true } });
    // only unknown points: the terminal denies the whole request (AFN 00)
    const denied = await collect(m.ctx, request(27, [50, 51]));
    for (const r of denied) expect(r).toMatchObject({ ok: false, error: { code: 'METER_NO_DATA' } });
    const bad = await collect(m.ctx, request(27, [1], { kind: 'daily', frozenFor: '2026-06' }));
    expect(bad[0]).toMatchObject({ ok: false, error: { code: 'REQUEST_INVALID', retryable: false } });
    const noPoint = request(27, [1]);
    const results2 = await collect(m.ctx, {
      ...noPoint,
      meters: [{ meterId: 'x', ref: { protocol: 'dlt645-2007', address: '1' } }],
    });
    expect(results2[0]).toMatchObject({ ok: false, error: { code: 'ROUTE_INVALID' } });
  });
});

describe('the Td asked for a platform frozen date', () => {
  it('is the day or month before, across month and year ends', () => {
    expect(previousPeriod('2026-03-01')).toBe('2026-02-28');
    expect(previousPeriod('2024-03-01')).toBe('2024-02-29');
    expect(previousPeriod('2026-01-01')).toBe('2025-12-31');
    expect(previousPeriod('2026-01')).toBe('2025-12');
    expect(previousPeriod('2026-07')).toBe('2026-06');
  });
});
