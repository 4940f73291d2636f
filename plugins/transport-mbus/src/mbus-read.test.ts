import { encodeManufacturer } from '@quadmeter/protocols/mbus/index.ts';
import type { ReadRequest, ReadResult } from '@quadmeter/sdk';
import { today } from '@quadmeter/sdk/serial';
import { makeTestContext, TEST_TENANT_ID } from '@quadmeter/sdk/testing';
import { MBUS_MEDIA } from '@quadmeter/simulators';
import { afterEach, describe, expect, it } from 'vitest';
import { configOf, type MbusConfig } from './config.ts';
import plugin from './index.ts';
import { closeLines } from './pool.ts';
import { meter, pastClock, type SimLine, tcpLine } from './test-lines.ts';

const lines: SimLine[] = [];
afterEach(async () => {
  await closeLines();
  while (lines.length) await lines.pop()?.close();
});

const { ctx } = makeTestContext<MbusConfig>({ pluginId: 'transport-mbus', config: configOf({}) });

async function readAll(req: Omit<ReadRequest, 'signal' | 'tenantId'>, onResult?: (r: ReadResult) => void) {
  const out: ReadResult[] = [];
  for await (const r of plugin.read({ tenantId: TEST_TENANT_ID, signal: ctx.signal, ...req }, ctx)) {
    onResult?.(r);
    out.push(r);
  }
  return out;
}

const ref = (address: string) => ({ protocol: 'mbus', address });

describe('transport-mbus', () => {
  it('reads heat and water meters by primary and by secondary address', async () => {
    const clock = pastClock();
    const heat = meter(clock, 5, '41000005');
    const water = meter(clock, 6, '41000006', MBUS_MEDIA.water);
    const line = await tcpLine([heat, water]);
    lines.push(line);
    clock.catchUp();
    // the archive's 16-hex-digit secondary address: id, manufacturer code, version, medium
    const hx = (n: number, d: number) => n.toString(16).toUpperCase().padStart(d, '0');
    const m = water.meter;
    const full = `41000006${hx(encodeManufacturer(m.manufacturer), 4)}${hx(m.version, 2)}${hx(m.medium, 2)}`;
    const wrongMedium = `41000006${hx(encodeManufacturer(m.manufacturer), 4)}${hx(m.version, 2)}04`;
    const [h, w, hs, wf, wildcard, other] = await readAll({
      line: line.ref,
      meters: [
        { meterId: 'heat', ref: ref('5') },
        { meterId: 'water', ref: ref('41000006') },
        { meterId: 'heat-by-id', ref: ref('41000005') },
        { meterId: 'water-full', ref: ref(full) },
        { meterId: 'water-wildcards', ref: ref('41000006FFFFFFFF') },
        { meterId: 'water-as-heat', ref: ref(wrongMedium) },
      ],
    });
    if (!h.ok || !w.ok || !hs.ok) throw new Error(JSON.stringify([h, w, hs]));
    expect(wf).toMatchObject({ ok: true, reading: { route: { address: full } } });
    expect(wildcard).toMatchObject({ ok: true, reading: { registers: w.reading.registers } });
    expect(other).toMatchObject({ ok: false, error: { code: 'NO_REPLY' } });
    const now = heat.meter.current();
    expect(h.reading.registers.heatEnergy).toBe(String(Math.round(now.heat)));
    expect(h.reading.registers.volume).toBe(String(Math.floor(now.volume * 100) / 100));
    expect(Object.keys(h.reading.registers).sort()).toEqual(
      ['flowRate', 'heatEnergy', 'power', 'returnTemperature', 'supplyTemperature', 'volume'].sort(),
    );
    expect(h.reading.status).toEqual({ word: 0, protocol: 'mbus' });
    expect(h.reading.route).toEqual({ via: 'serial', line: line.key, address: '5' });
    expect(w.reading.registers).toEqual({
      totalVolume: String(Math.round(water.meter.current().volume * 1000) / 1000),
    });
    expect(w.reading.route).toEqual({ via: 'serial', line: line.key, address: '41000006' });
    expect(hs.reading.registers.heatEnergy).toBe(h.reading.registers.heatEnergy);
    expect(hs.reading.idempotencyKey).toBe(`mbus|${line.key}|41000005|realtime|${hs.reading.measuredAt}`);
  });

  it('reads the stored value of a month; fails with stable codes', async () => {
    const clock = pastClock();
    const heat = meter(clock, 7, '41000007');
    const line = await tcpLine([heat], {}, { retries: 0 });
    lines.push(line);
    clock.catchUp();
    const month = today(Date.now(), 480).month;
    const [m] = await readAll({
      line: line.ref,
      meters: [{ meterId: 'h', ref: ref('7') }],
      kind: 'monthly',
      frozenFor: month,
    });
    if (!m.ok) throw new Error(JSON.stringify(m));
    expect(m.reading).toMatchObject({ kind: 'monthly', frozenFor: month });
    expect(m.reading.registers.heatEnergy).toBe(String(Math.round(heat.meter.stored(1)?.heat ?? -1)));
    expect(m.reading.measuredAt).toBe(new Date(Date.parse(`${month}-01T00:00:00+08:00`)).toISOString());
    const results = await readAll({
      line: line.ref,
      meters: [
        { meterId: 'old', ref: ref('7') },
        { meterId: 'absent', ref: ref('99') },
        { meterId: 'absent-id', ref: ref('41009999') },
        { meterId: 'bad', ref: ref('251') },
        { meterId: 'dlt', ref: { protocol: 'dlt645-2007', address: '000000000001' } },
      ],
      kind: 'monthly',
      frozenFor: '2020-01',
    });
    expect(results).toMatchObject([
      { ok: false, error: { code: 'FROZEN_NOT_FOUND', retryable: false } },
      { ok: false, error: { code: 'NO_REPLY', retryable: true } },
      { ok: false, error: { code: 'NO_REPLY', retryable: true } },
      { ok: false, error: { code: 'ADDRESS_INVALID', retryable: false } },
      { ok: false, error: { code: 'PROTOCOL_UNSUPPORTED', retryable: false } },
    ]);
    const [daily] = await readAll({
      line: line.ref,
      meters: [{ meterId: 'h', ref: ref('7') }],
      kind: 'daily',
      frozenFor: '2026-01-01',
    });
    expect(daily).toMatchObject({ ok: false, error: { code: 'KIND_UNSUPPORTED', retryable: false } });
    expect(
      await plugin.control(
        {
          id: 'c',
          tenantId: TEST_TENANT_ID,
          meterId: 'h',
          ref: ref('7'),
          line: line.ref,
          action: 'valve-close',
        },
        ctx,
      ),
    ).toMatchObject({ commandId: 'c', ok: false, error: { code: 'ACTION_UNSUPPORTED', retryable: false } });
  });

  it('retries on a lossy line; the same primary address on two lines; lines in parallel', async () => {
    const clock = pastClock();
    const lossy = await tcpLine(
      [1, 2, 3].map((a) => meter(clock, a, `4200000${a}`)),
      { loss: 0.3, seed: 3 },
      { retries: 8, marginMs: 60 },
    );
    const other = await tcpLine([1, 2, 3].map((a) => meter(clock, a, `4300000${a}`)));
    lines.push(lossy, other);
    clock.catchUp();
    const meters = [1, 2, 3].map((a) => ({ meterId: `${a}`, ref: ref(`${a}`) }));
    const seq: string[] = [];
    const [ra, rb] = await Promise.all([
      readAll({ line: lossy.ref, meters }, () => seq.push('A')),
      readAll({ line: other.ref, meters }, () => seq.push('B')),
    ]);
    expect([...ra, ...rb].every((r) => r.ok)).toBe(true);
    expect(lossy.bus.stats.lost).toBeGreaterThan(0);
    expect(seq.indexOf('B')).toBeLessThan(seq.lastIndexOf('A'));
    const routes = [...ra, ...rb].map((r) => (r.ok ? JSON.stringify(r.reading.route) : ''));
    expect(new Set(routes).size).toBe(6);
  });
});
