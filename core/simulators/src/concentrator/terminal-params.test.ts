import { describe, expect, it } from 'vitest';
import * as gdw from '../../../protocols/src/gdw1376/index.ts';
import { ManualClock } from '../time/clock.ts';
import { MeterTable } from './meter-table.ts';
import { type ResponderContext, respond } from './responder.ts';
import { TerminalParams } from './terminal-params.ts';

const A = { A1_region: '3501', A2_terminal: 1, A3_master: 1 };

function terminal(n: number) {
  const clock = new ManualClock(Date.UTC(2026, 5, 14, 2));
  const table = MeterTable.generate(clock, n, 35010001);
  const params = TerminalParams.fromTable(table);
  const ctx: ResponderContext = {
    a1: '3501',
    a2: 1,
    table,
    params,
    now: () => clock.now(),
    utcOffsetMin: 480,
    missed: () => false,
  };
  /** Sends master bytes through the responder and decodes the terminal's answer. */
  const ask = (bytes: Uint8Array) => respond(gdw.decodeFrame(bytes), ctx).map((b) => gdw.decodeFrame(b));
  const query = (serials: number[]) => {
    const [r] = ask(gdw.buildMeterConfigQuery(A, serials, 3));
    expect(r.afn).toBe('0A');
    return (r.units[0].data as { meters: gdw.MeterConfig[] }).meters;
  };
  return { table, params, ask, query };
}

describe('concentrator AFN 04 / 0A F10 meter table', () => {
  it('answers AFN 0A F10 from its generated table, serial = point, only for serials it holds', () => {
    const { query } = terminal(3);
    const m = query([1, 2, 3, 4]);
    expect(m.map((r) => [r.serial, r.pn, r.port, r.protocol, r.address])).toEqual([
      [1, 1, 2, 30, '350100010001'],
      [2, 2, 2, 30, '350100010002'],
      [3, 3, 2, 30, '350100010003'],
    ]);
    expect(query([9, 10])).toEqual([]);
  });

  it('keeps what AFN 04 F10 downloads and reads it back; pn 0 deletes the serial and its point', () => {
    const { ask, query, table } = terminal(2);
    const rec = {
      serial: 5,
      pn: 5,
      port: 31,
      protocol: 1,
      address: '000000001234',
      collector: '000000009999',
    };
    const [ok] = ask(gdw.buildMeterConfigDownload(A, [rec], 4));
    expect(ok.afn).toBe('00');
    expect(ok.units[0].fn).toBe(1);
    expect(query([5])[0]).toMatchObject(rec);
    expect(table.get(5)?.device.meter.address).toBe('000000001234');
    const [gone] = ask(
      gdw.buildMeterConfigDownload(A, [{ serial: 2, pn: 0, port: 0, protocol: 0, address: '0' }], 5),
    );
    expect(gone.units[0].fn).toBe(1);
    expect(query([1, 2, 5]).map((r) => r.serial)).toEqual([1, 5]);
    expect(table.get(2)).toBeUndefined();
  });

  it('lets a test plant a changed address, a dropped record and an extra one', () => {
    const { params, query, table } = terminal(3);
    params.plant({ serial: 2, address: '999999999999' });
    params.drop(3);
    params.plant({ serial: 40, pn: 40, address: '000000004040', port: 3 });
    expect(query([1, 2, 3, 40]).map((r) => [r.serial, r.pn, r.address])).toEqual([
      [1, 1, '350100010001'],
      [2, 2, '999999999999'],
      [40, 40, '000000004040'],
    ]);
    expect(table.get(3)).toBeUndefined();
    expect(table.get(40)?.device.meter.address).toBe('000000004040');
  });

  it('moving a serial to another point frees the old point', () => {
    const { params, table } = terminal(2);
    params.plant({ serial: 2, pn: 7 });
    expect(table.get(2)).toBeUndefined();
    expect(table.get(7)?.device.meter.address).toBe('350100010002');
  });

  it('denies an AFN 04 frame it cannot apply and changes nothing', () => {
    const { ask, params } = terminal(2);
    const before = params.records();
    const frame = gdw.encodeFrame({
      ...gdw.decodeFrame(gdw.buildMeterConfigDownload(A, [], 1)),
      units: [{ pn: 0, fn: 11, raw: '00' }],
    });
    const [r] = ask(frame);
    expect(r.afn).toBe('00');
    expect(r.units[0].fn).toBe(2);
    expect(params.records()).toEqual(before);
  });
});

describe('concentrator AFN 04 / 0A F33 reading parameters', () => {
  it('stores the blocks per port and answers the ports asked for', () => {
    const { ask } = terminal(1);
    const block: gdw.PortReadingParams = {
      port: 2,
      control: 0,
      days: [1],
      time: '01:30',
      intervalMinutes: 15,
      broadcast: { day: 0, time: '00:05' },
      segments: [{ start: '01:00', end: '05:00' }],
    };
    const [none] = ask(gdw.buildReadingParamsQuery(A, [2], 1));
    expect(none.units[0].data).toEqual({ ports: [] });
    const [ok] = ask(gdw.buildReadingParamsDownload(A, [block], 2));
    expect(ok.units[0].fn).toBe(1);
    const [r] = ask(gdw.buildReadingParamsQuery(A, [2, 31], 3));
    expect(r.units[0].data).toEqual({ ports: [block] });
  });
});
