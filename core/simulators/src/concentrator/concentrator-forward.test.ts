import { afterEach, describe, expect, it } from 'vitest';
import * as cjt188 from '../../../protocols/src/cjt188/index.ts';
import { hexToBytes } from '../../../protocols/src/common/bytes.ts';
import * as dlt645 from '../../../protocols/src/dlt645/index.ts';
import * as gdw from '../../../protocols/src/gdw1376/index.ts';
import { ManualClock } from '../time/clock.ts';
import { fromWallTime } from '../time/wall-time.ts';
import { ConcentratorSim } from './concentrator-sim.ts';
import { MeterTable } from './meter-table.ts';
import { portBusyMs } from './port-timing.ts';
import { TestMaster } from './test-master.ts';
import { attachWaterMeters, waterAddress } from './water-meters.ts';

const A = { A1_region: '3501', A2_terminal: 2 };
const PW = { pw: '00'.repeat(16) };
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function setup(lineTiming = false) {
  const master = new TestMaster();
  const port = await master.listen();
  cleanups.push(() => master.close());
  const clock = new ManualClock(fromWallTime({ year: 2026, month: 6, day: 14, hour: 10 }));
  const table = MeterTable.generate(clock, 2, 35010002);
  const water = attachWaterMeters(table, { clock, port: 3, count: 3, addressBase: 35010002 });
  const sim = new ConcentratorSim({
    master: { host: '127.0.0.1', port },
    a1: '3501',
    a2: 2,
    table,
    clock,
    heartbeatSec: 60,
    reconnectMs: 100,
    lineTiming,
  });
  cleanups.push(() => sim.stop());
  sim.start();
  await master.waitFor((f) => f.afn === '02' && f.units[0]?.fn === 1);
  return { master, sim, water };
}

/** The meter bytes an AFN 10 F1 answer carries. */
const meterBytes = (f: gdw.GdwFrame): Uint8Array => {
  const hex = (f.units[0].data as { forwarded: { hex: string } }).forwarded.hex;
  return hex === '' ? new Uint8Array(0) : hexToBytes(hex);
};

describe('concentrator forwarding to CJ/T 188 water meters on a port', () => {
  it('forwards a valve close to the addressed meter on its port only; the reply carries ST', async () => {
    const { master, sim, water } = await setup();
    const address = waterAddress(35010002, 2);
    const close = cjt188.buildValveControl(0x10, address, 'close', 9);
    const [onPort3] = await master.request(gdw.buildForward(A, 3, close, 1, PW));
    const reply = cjt188.decode(meterBytes(onPort3));
    expect(reply).toMatchObject({ control: '84', di: 'A017', ser: 9, address });
    expect((reply.data.status as { valve: string }).valve).toBe('closed');
    expect(water.map((d) => d.meter.valve)).toEqual(['open', 'closed', 'open']);

    // the same frame on another port reaches no water meter
    const open = cjt188.buildValveControl(0x10, address, 'open', 10);
    const [onPort2] = await master.request(gdw.buildForward(A, 2, open, 2, PW));
    expect(meterBytes(onPort2)).toHaveLength(0);
    expect(water[1].meter.valve).toBe('closed');

    // a 901F read tells the valve too; DL/T 645 meters still answer beside them
    const [read] = await master.request(
      gdw.buildForward(A, 3, cjt188.buildReadData(0x10, address, '901F', 11), 3, PW),
    );
    expect((cjt188.decode(meterBytes(read)).data.status as { valve: string }).valve).toBe('closed');
    const dlt = dlt645.buildReadRequest(sim.options.table.get(1)?.device.meter.address ?? '', '04000503');
    const [status] = await master.request(gdw.buildForward(A, 3, dlt, 4, PW));
    expect(dlt645.decodeFrame(meterBytes(status))).toMatchObject({ di: '04000503', value: '0000' });
    expect(sim.requests).toBe(4);
    expect(sim.wire.ports).toMatchObject({ forwards: 4, answered: 3 });
  });

  it('with line timing the answer leaves after the port time; the statistics count it', async () => {
    const { master, sim } = await setup(true);
    const close = cjt188.buildValveControl(0x10, waterAddress(35010002, 1), 'close', 1);
    const request = gdw.buildForward(A, 3, close, 5, PW);
    const [answer] = await master.request(request);
    const bytes = meterBytes(answer);
    const busy = portBusyMs({
      port: 3,
      serial: gdw.DLT645_SERIAL,
      frameTimeoutMs: 2000,
      request: close,
      reply: bytes,
      latencyMs: 30,
    });
    // 17 + 18 bytes at 2400 baud 8E1 (11 bits each) and 30 ms latency
    expect(close.length + bytes.length).toBe(35);
    expect(busy).toBeCloseTo((35 * 11 * 1000) / 2400 + 30, 6);
    expect(sim.wire.ports.busyMs).toBeCloseTo(busy, 6);
    expect(sim.wire.fromMaster).toBeGreaterThanOrEqual(request.length);
    // a silent meter holds the port for the frame timeout the master named
    const silent = cjt188.buildValveControl(0x10, '99999999999999', 'close', 2);
    await master.request(
      gdw.buildForward(A, 3, silent, 6, { ...PW, frameTimeout: { value: 5, unit: '10ms' } }),
    );
    expect(sim.wire.ports.busyMs - busy).toBeCloseTo((silent.length * 11 * 1000) / 2400 + 50, 6);
  });
});
