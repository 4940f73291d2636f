import type { ReadRequest, ReadResult } from '@quadmeter/sdk';
import { decimalString, today } from '@quadmeter/sdk/serial';
import { makeTestContext, TEST_TENANT_ID } from '@quadmeter/sdk/testing';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { configOf, type Rs485Config } from './config.ts';
import plugin from './index.ts';
import { closeLines } from './pool.ts';
import { pastClock, power, water } from './sim-meters.ts';
import { type SimLine, tcpLine } from './test-lines.ts';

const lines: SimLine[] = [];
afterEach(async () => {
  await closeLines();
  while (lines.length) await lines.pop()?.close();
});
afterAll(closeLines);

const { ctx } = makeTestContext<Rs485Config>({ pluginId: 'transport-rs485', config: configOf({}) });

async function readAll(req: Omit<ReadRequest, 'signal' | 'tenantId'>): Promise<ReadResult[]> {
  const out: ReadResult[] = [];
  for await (const r of plugin.read({ tenantId: TEST_TENANT_ID, signal: ctx.signal, ...req }, ctx))
    out.push(r);
  return out;
}

function ok(r: ReadResult) {
  if (!r.ok) throw new Error(`${r.meterId}: ${r.error.code} ${r.error.message}`);
  return r.reading;
}

describe('transport-rs485 over a TCP serial server', () => {
  it('reads DL/T 645-2007, DL/T 645-1997 and CJ/T 188 meters: registers, status, route and key', async () => {
    const clock = pastClock();
    const m07 = power(clock, '000000000101', { energy: 1234 });
    const m97 = power(clock, '000000000102', { variant: '1997', energy: 555 });
    const w = water(clock, '00000000000201');
    const swapped = water(clock, '00000000000202');
    const line = await tcpLine([m07, m97, w, swapped]);
    lines.push(line);
    clock.catchUp();
    const results = await readAll({
      line: line.ref,
      meters: [
        { meterId: 'm07', ref: { protocol: 'dlt645-2007', address: '000000000101' } },
        { meterId: 'm97', ref: { protocol: 'dlt645-1997', address: '000000000102' } },
        { meterId: 'w', ref: { protocol: 'cjt188', address: '00000000000201' } },
        {
          meterId: 'swapped',
          ref: { protocol: 'cjt188', address: '00000000000202' },
          params: { profile: 'cjt188-swapped', meterType: 0x10 },
        },
      ],
    });
    expect(results.map((r) => r.meterId)).toEqual(['m07', 'm97', 'w', 'swapped']);
    const [r07, r97, rw, rs] = results.map(ok);
    // the vendor profile's FE count, DI order (90 1F) and type byte went out; the meter answered in kind
    const sent = Buffer.from(line.sent).toString('hex');
    expect(sent).toContain('16fefe6810020200000000000103901f');
    expect(sent).toContain('16fefefefe68aa0102000000000001031f90');
    expect(sent.startsWith('fefefefe68010100000000681104')).toBe(true);
    expect(rs.registers.totalVolume).toBe(decimalString(swapped.meter.snapshot().volume, 2));
    const e07 = m07.meter.registers();
    expect(r07.registers.activeImportTotal).toBe(decimalString(e07.positive[0], 2));
    expect(r07.registers.activeImportT2).toBe(decimalString(e07.positive[2], 2));
    expect(r07.registers.activeExportTotal).toBe('0');
    expect(r07.registers.relay).toBe('closed');
    expect(r07.status).toEqual({ word: 0, protocol: 'dlt645-2007' });
    expect(r07.route).toEqual({ via: 'serial', line: line.key, address: '000000000101' });
    expect(r07.kind).toBe('realtime');
    expect(r07.tenantId).toBe(TEST_TENANT_ID);
    expect(r07.idempotencyKey).toBe(`dlt645-2007|${line.key}|000000000101|realtime|${r07.measuredAt}`);
    expect(r97.registers.activeImportTotal).toBe(decimalString(m97.meter.registers().positive[0], 2));
    expect(r97.status).toBeUndefined();
    expect(rw.registers.totalVolume).toBe(decimalString(w.meter.snapshot().volume, 2));
    expect(rw.registers.valve).toBe('open');
    expect(rw.status).toEqual({ word: 0, protocol: 'cjt188' });
    expect(Date.parse(rw.measuredAt)).toBe(Math.floor(clock.now() / 1000) * 1000);
  });

  it('reads the daily freeze of a date and the settlement of a month; keys stable per date', async () => {
    const clock = pastClock();
    const m = power(clock, '000000000301');
    const w = water(clock, '00000000000302');
    const line = await tcpLine([m, w]);
    lines.push(line);
    clock.catchUp();
    const meters = [{ meterId: 'm', ref: { protocol: 'dlt645-2007', address: '000000000301' } }];
    const now = today(Date.now(), 480);
    const yesterday = new Date(Date.parse(`${now.date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    const [daily] = await readAll({ line: line.ref, meters, kind: 'daily', frozenFor: yesterday });
    const d = ok(daily);
    const frozen = m.meter.daily.last(2);
    expect(d).toMatchObject({ kind: 'daily', frozenFor: yesterday });
    expect(d.registers.activeImportTotal).toBe(decimalString(frozen?.positive[0], 2));
    expect(d.measuredAt).toBe(new Date(Date.parse(`${yesterday}T00:00:00+08:00`)).toISOString());
    expect(d.idempotencyKey).toBe(`dlt645-2007|${line.key}|000000000301|daily|${yesterday}`);
    const [again] = await readAll({ line: line.ref, meters, kind: 'daily', frozenFor: yesterday });
    expect(ok(again).idempotencyKey).toBe(d.idempotencyKey);

    const [monthly, wm] = await readAll({
      line: line.ref,
      meters: [...meters, { meterId: 'w', ref: { protocol: 'cjt188', address: '00000000000302' } }],
      kind: 'monthly',
      frozenFor: now.month,
    });
    expect(ok(monthly)).toMatchObject({ kind: 'monthly', frozenFor: now.month });
    expect(ok(monthly).registers.activeImportTotal).toBe(
      decimalString(m.meter.monthly.last(1)?.positive[0], 2),
    );
    expect(ok(wm).registers.totalVolume).toBe(decimalString(w.meter.history.last(1)?.volume, 2));
    expect(ok(wm).measuredAt).toBe(new Date(Date.parse(`${now.month}-01T00:00:00+08:00`)).toISOString());
  });

  it('fails with stable codes: METER_ERROR, NO_REPLY, KIND_UNSUPPORTED, ADDRESS_INVALID, LINE_UNAVAILABLE', async () => {
    const clock = pastClock();
    const line = await tcpLine(
      [power(clock, '000000000401'), power(clock, '000000000402', { variant: '1997' })],
      {},
      { retries: 1 },
    );
    lines.push(line);
    clock.catchUp();
    const [gone] = await readAll({
      line: line.ref,
      meters: [{ meterId: 'old', ref: { protocol: 'dlt645-2007', address: '000000000401' } }],
      kind: 'monthly',
      frozenFor: '2025-01',
    });
    expect(gone).toMatchObject({ ok: false, error: { code: 'FROZEN_NOT_FOUND', retryable: false } });
    const aMonthBack = today(Date.now() - 70 * 86_400_000, 480).month;
    const results = await readAll({
      line: line.ref,
      meters: [
        { meterId: 'refused', ref: { protocol: 'dlt645-2007', address: '000000000401' } },
        { meterId: 'absent', ref: { protocol: 'dlt645-2007', address: '000000000499' } },
        { meterId: '1997-daily', ref: { protocol: 'dlt645-1997', address: '000000000402' } },
        { meterId: 'bad-address', ref: { protocol: 'dlt645-2007', address: '12AB' } },
        { meterId: 'lorawan', ref: { protocol: 'lorawan', address: '0011223344556677' } },
      ],
      kind: 'monthly',
      frozenFor: aMonthBack,
    });
    expect(results[0]).toMatchObject({ ok: false, error: { code: 'METER_ERROR', retryable: false } });
    expect((results[0] as { error: { message: string } }).error.message).toContain('error word 02');
    expect(results[1]).toMatchObject({ ok: false, error: { code: 'NO_REPLY', retryable: true } });
    expect(results[2]).toMatchObject({ ok: false, error: { code: 'FROZEN_NOT_FOUND', retryable: false } });
    expect(results[3]).toMatchObject({ ok: false, error: { code: 'ADDRESS_INVALID', retryable: false } });
    expect(results[4]).toMatchObject({
      ok: false,
      error: { code: 'PROTOCOL_UNSUPPORTED', retryable: false },
    });

    const [daily97] = await readAll({
      line: line.ref,
      meters: [{ meterId: '1997', ref: { protocol: 'dlt645-1997', address: '000000000402' } }],
      kind: 'daily',
      frozenFor: today(Date.now(), 480).date,
    });
    expect(daily97).toMatchObject({ ok: false, error: { code: 'KIND_UNSUPPORTED', retryable: false } });

    const closedPort = line.key.replace(/:(\d+)$/, ':1');
    const down = await readAll({
      line: { id: 'down', params: { key: closedPort } },
      meters: [
        { meterId: 'a', ref: { protocol: 'dlt645-2007', address: '000000000401' } },
        { meterId: 'b', ref: { protocol: 'cjt188', address: '00000000000001' } },
      ],
    });
    expect(down).toMatchObject([
      { meterId: 'a', ok: false, error: { code: 'LINE_UNAVAILABLE', retryable: true } },
      { meterId: 'b', ok: false, error: { code: 'LINE_UNAVAILABLE', retryable: true } },
    ]);
    const bad = await readAll({
      line: { id: 'x', params: { key: 'serial://x' } },
      meters: [{ meterId: 'a', ref: { protocol: 'cjt188', address: '00000000000001' } }],
    });
    expect(bad).toMatchObject([{ ok: false, error: { code: 'LINE_PARAMS_INVALID', retryable: false } }]);
  });

  it('an aborted read yields ABORTED for the meters it did not read', async () => {
    const clock = pastClock();
    const line = await tcpLine([power(clock, '000000000501')]);
    lines.push(line);
    const controller = new AbortController();
    controller.abort();
    const out: ReadResult[] = [];
    for await (const r of plugin.read(
      {
        tenantId: TEST_TENANT_ID,
        signal: controller.signal,
        line: line.ref,
        meters: [
          { meterId: 'a', ref: { protocol: 'dlt645-2007', address: '000000000501' } },
          { meterId: 'b', ref: { protocol: 'dlt645-2007', address: '000000000501' } },
        ],
      },
      ctx,
    ))
      out.push(r);
    expect(out).toMatchObject([
      { meterId: 'a', ok: false, error: { code: 'ABORTED', retryable: true } },
      { meterId: 'b', ok: false, error: { code: 'ABORTED', retryable: true } },
    ]);
    expect(line.bus.stats.requestFrames).toBe(0);
  });
});
